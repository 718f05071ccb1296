import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { Config } from '../config.js';
import type { Clock } from '../shared/clock.js';
import { NotAuthenticated } from '../shared/errors.js';
import { type Principal, parseRoleGrant, type RoleGrant } from '../shared/principal.js';

export interface TokenVerifier {
  /** Verifies a raw JWT and returns who it names, or throws NotAuthenticated. */
  verify(token: string): Promise<Principal>;
}

const VERIFIED_CACHE_SIZE = 10_000;

/** How far in the future a token's `iat` may be (clock skew between the LMS and Campus). */
export const MAX_IAT_SKEW_SECONDS = 60;

const invalid = (detail: string) => new NotAuthenticated(detail, 'invalid_token');

/**
 * Extracts the token from `Authorization: JWT <t>` or `Bearer <t>`. Returns null when there is no
 * header; throws on a malformed one (a wrong scheme, a missing token, two tokens).
 */
export function tokenFromHeader(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  const parts = header.trim().split(/\s+/);
  const [scheme, token] = parts;
  if (parts.length !== 2 || !token || !scheme || !/^(jwt|bearer)$/i.test(scheme)) {
    throw invalid('Authorization header must be "JWT <token>" or "Bearer <token>".');
  }
  return token;
}

/** The Open edX LMS's split JWT cookies: `header.payload` readable by scripts, the signature HttpOnly. */
export const JWT_COOKIE_HEADER_PAYLOAD = 'edx-jwt-cookie-header-payload';
export const JWT_COOKIE_SIGNATURE = 'edx-jwt-cookie-signature';

/**
 * The token a browser carries in the LMS's two JWT cookies, joined back into one, or null when
 * either is missing. `cookies` are as @fastify/cookie parses them (the first cookie of a name wins,
 * a value that is not valid percent-encoding is kept as it is). It is verified like a header token.
 */
export function tokenFromCookies(cookies: Record<string, string | undefined> | undefined): string | null {
  const headerPayload = cookies?.[JWT_COOKIE_HEADER_PAYLOAD];
  const signature = cookies?.[JWT_COOKIE_SIGNATURE];
  if (!headerPayload || !signature) return null;
  return `${headerPayload}.${signature}`;
}

/** The LMS's JWT claims, mapped to a Principal. Refuses tokens whose claims are not what the LMS issues. */
export function principalFromClaims(claims: JWTPayload): Principal {
  const userId = claims.user_id;
  const lmsUserId = typeof userId === 'string' && /^\d+$/.test(userId) ? Number(userId) : userId;
  if (typeof lmsUserId !== 'number' || !Number.isSafeInteger(lmsUserId) || lmsUserId < 0) {
    throw invalid('Token has no valid user_id claim.');
  }
  const username = claims.username ?? claims.preferred_username;
  if (typeof username !== 'string' || username === '') throw invalid('Token has no username claim.');
  const email = claims.email;
  if (email !== undefined && email !== null && typeof email !== 'string')
    throw invalid('Token email must be a string.');
  const name = typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : null;
  const roles = claims.roles ?? [];
  if (!Array.isArray(roles)) throw invalid('Token roles claim must be a list.');
  const grants: RoleGrant[] = [];
  for (const entry of roles) {
    const grant = parseRoleGrant(entry);
    if (typeof grant === 'string') throw invalid(`Token roles claim is invalid: ${grant}.`);
    grants.push(grant);
  }
  return {
    lmsUserId,
    username,
    email: email ?? null,
    fullName: name,
    isStaff: claims.administrator === true,
    grants,
  };
}

export function createTokenVerifier(config: Config, clock: Clock): TokenVerifier {
  const secret = config.jwt.secret ? new TextEncoder().encode(config.jwt.secret) : null;
  const jwks: JWTVerifyGetKey | null = config.jwt.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwt.jwksUrl))
    : null;
  const common = {
    currentDate: undefined as Date | undefined,
    requiredClaims: ['exp'],
    issuer: config.jwt.issuer ?? undefined,
    audience: config.jwt.audience ?? undefined,
  };

  // Verified tokens are remembered until they expire: a token is bound to its signature, so the
  // answer cannot change before `exp`, and signature checks dominate the cost of a small request.
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  const remember = (token: string, principal: Principal, exp: number | undefined) => {
    if (exp === undefined) return;
    if (verified.size >= VERIFIED_CACHE_SIZE) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(token, { principal, expiresAt: exp * 1000 });
  };

  // A token from the future was not issued by an LMS whose clock agrees with ours: refused, so that
  // a token minted ahead of time (or by a clock gone wrong) cannot outlive its apparent lifetime.
  const issuedInThePast = (payload: JWTPayload) => {
    if (payload.iat === undefined) return;
    if (payload.iat > clock.now().getTime() / 1000 + MAX_IAT_SKEW_SECONDS)
      throw invalid('Token was issued in the future (its iat claim is ahead of the clock).');
  };

  return {
    async verify(token) {
      const hit = verified.get(token);
      if (hit) {
        if (clock.now().getTime() < hit.expiresAt) return hit.principal;
        verified.delete(token);
      }
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw invalid('Token is malformed.');
      }
      const options = { ...common, currentDate: clock.now() };
      try {
        // The algorithm is pinned per key so that a token can never pick how it is checked
        // (no `alg: none`, no HS256 signed with a public key).
        if (alg === 'HS256' && secret) {
          const { payload } = await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] });
          issuedInThePast(payload);
          const principal = principalFromClaims(payload);
          remember(token, principal, payload.exp);
          return principal;
        }
        if (alg === 'RS256' && jwks) {
          const { payload } = await jwtVerify(token, jwks, { ...options, algorithms: ['RS256'] });
          issuedInThePast(payload);
          const principal = principalFromClaims(payload);
          remember(token, principal, payload.exp);
          return principal;
        }
      } catch (err) {
        if (err instanceof NotAuthenticated) throw err;
        if (err instanceof joseErrors.JWTExpired) throw invalid('Token has expired.');
        if (err instanceof joseErrors.JWTClaimValidationFailed)
          throw invalid(`Token rejected: ${err.message}.`);
        if (err instanceof joseErrors.JOSEError) throw invalid('Token signature or format is invalid.');
        throw err;
      }
      throw invalid(`Tokens signed with ${alg ?? 'no algorithm'} are not accepted.`);
    },
  };
}

export interface TokenClaims {
  userId: number;
  username: string;
  email?: string | null;
  /** The learner's full name (the LMS's `name` claim). */
  name?: string;
  isStaff?: boolean;
  roles?: string[];
  /** Seconds the token is valid for. */
  expiresIn?: number;
  issuer?: string | null;
  audience?: string | null;
}

/** Signs an HS256 token shaped like the LMS's: for development (`campus token`) and tests. */
export async function signDevToken(
  secret: string,
  claims: TokenClaims,
  now: Date = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const jwt = new SignJWT({
    user_id: claims.userId,
    username: claims.username,
    preferred_username: claims.username,
    email: claims.email ?? null,
    ...(claims.name ? { name: claims.name } : {}),
    administrator: claims.isStaff ?? false,
    roles: claims.roles ?? [],
  });
  jwt
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + (claims.expiresIn ?? 3600));
  if (claims.issuer) jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
