import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotAuthenticated } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { type TokenVerifier, tokenFromCookies, tokenFromHeader } from './auth.js';
import { checkCsrfToken } from './csrf.routes.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; null only on public routes called without a token. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a token. Every other route answers 401 to anonymous callers. */
    public?: boolean;
  }
}

/**
 * Authentication is on by default: a route must opt out with `config: { public: true }`, so a
 * forgotten check fails closed. Public routes still read a valid token when one is sent.
 */
export function registerAuthGuard(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const isPublic = request.routeOptions.config?.public === true || request.is404;
    let token: string | null;
    try {
      token = tokenFromHeader(request.headers.authorization);
    } catch (err) {
      if (isPublic) return;
      throw err;
    }
    const byCookie = token === null;
    if (token === null) {
      try {
        token = cookieToken(request);
      } catch (err) {
        if (isPublic) return;
        throw err;
      }
      if (token === null) {
        if (isPublic) return;
        throw new NotAuthenticated();
      }
    }
    try {
      const principal = await verifier.verify(token);
      // As edx-drf-extensions: a valid cookie pair on a write must come with the CSRF token too.
      if (byCookie && !SAFE_METHODS.has(request.method)) checkCsrfToken(request);
      request.principal = principal;
    } catch (err) {
      if (!isPublic) throw err;
    }
  });
}

/**
 * The LMS JWT cookie pair of a browser request. Cookies ride along on cross-site requests too, so
 * a state-changing request authenticated by them must also carry the `USE-JWT-COOKIE` header the
 * Open edX front ends send (a page on another site cannot add it without a CORS preflight that
 * Campus grants only to CORS_ALLOWED_ORIGINS) and, once the token is verified, the CSRF token
 * (`X-CSRFToken` equal to the `csrftoken` cookie, src/http/csrf.routes.ts).
 */
function cookieToken(request: FastifyRequest): string | null {
  const token = tokenFromCookies(request.cookies);
  if (token === null) return null;
  if (!SAFE_METHODS.has(request.method) && !useJwtCookie(request.headers['use-jwt-cookie'])) {
    throw new NotAuthenticated(
      'A request authenticated by the JWT cookies must send the header USE-JWT-COOKIE: true.',
      'csrf_header_missing',
    );
  }
  return token;
}

/** `USE-JWT-COOKIE: true`, as the Open edX front ends send it; any other value does not count. */
function useJwtCookie(header: string | string[] | undefined): boolean {
  return typeof header === 'string' && header.trim().toLowerCase() === 'true';
}

/** The caller of a guarded route. */
export function actor(request: FastifyRequest): Principal {
  if (!request.principal) throw new NotAuthenticated();
  return request.principal;
}
