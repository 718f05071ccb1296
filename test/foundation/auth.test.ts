import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fastifyCookie } from '@fastify/cookie';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import {
  createTokenVerifier,
  JWT_COOKIE_HEADER_PAYLOAD,
  JWT_COOKIE_SIGNATURE,
  MAX_IAT_SKEW_SECONDS,
  signDevToken,
  tokenFromCookies,
  tokenFromHeader,
} from '../../src/http/auth.js';
import { FixedClock } from '../../src/shared/clock.js';
import { NotAuthenticated } from '../../src/shared/errors.js';
import { hasRole, parseRoleGrant, requireRole } from '../../src/shared/principal.js';
import { ENTERPRISE_A, ENTERPRISE_B, type TestApp, testApp } from '../support/app.js';

const clock = new FixedClock('2026-06-01T12:00:00Z');
const config = testConfig();
const secret = config.jwt.secret ?? '';
const verifier = createTokenVerifier(config, clock);

describe('tokenFromHeader', () => {
  it('accepts the JWT and Bearer schemes', () => {
    expect(tokenFromHeader('JWT abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromHeader('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromHeader(undefined)).toBeNull();
  });

  it.each(['Basic dXNlcjpwYXNz', 'JWT', 'JWT a b', 'Token abc'])(
    'refuses the malformed header %j',
    (header) => {
      expect(() => tokenFromHeader(header)).toThrow(NotAuthenticated);
    },
  );
});

describe('token verification', () => {
  it('maps the LMS claims to a principal', async () => {
    const token = await signDevToken(
      secret,
      { userId: 7, username: 'ana', email: 'ana@example.com', roles: [`enterprise_admin:${ENTERPRISE_A}`] },
      clock.now(),
    );
    const p = await verifier.verify(token);
    expect(p).toEqual({
      lmsUserId: 7,
      username: 'ana',
      email: 'ana@example.com',
      fullName: null,
      isStaff: false,
      grants: [{ role: 'enterprise_admin', scope: ENTERPRISE_A }],
    });
    // The LMS's `name` claim is the learner's full name (records and group members show it).
    const named = await signDevToken(secret, { userId: 7, username: 'ana', name: ' Ana Lima ' }, clock.now());
    expect((await verifier.verify(named)).fullName).toBe('Ana Lima');
  });

  it('refuses an expired token', async () => {
    const token = await signDevToken(secret, { userId: 7, username: 'ana', expiresIn: 60 }, clock.now());
    const later = createTokenVerifier(config, new FixedClock(new Date(clock.now().getTime() + 61_000)));
    await expect(later.verify(token)).rejects.toThrow(/expired/);
  });

  it('still refuses a token once it expires, even after it was accepted', async () => {
    const moving = new FixedClock(clock.now());
    const v = createTokenVerifier(config, moving);
    const token = await signDevToken(secret, { userId: 7, username: 'ana', expiresIn: 60 }, moving.now());
    expect((await v.verify(token)).lmsUserId).toBe(7);
    expect((await v.verify(token)).lmsUserId).toBe(7);
    moving.advance(61_000);
    await expect(v.verify(token)).rejects.toThrow(/expired/);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signDevToken(
      'another-secret-of-enough-length',
      { userId: 7, username: 'ana' },
      clock.now(),
    );
    await expect(verifier.verify(token)).rejects.toThrow(NotAuthenticated);
  });

  it('refuses an unsigned (alg: none) token', async () => {
    const body = Buffer.from(JSON.stringify({ user_id: 7, username: 'x', exp: 2e9 })).toString('base64url');
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toThrow(NotAuthenticated);
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ user_id: 7, username: 'ana' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(token)).rejects.toThrow(NotAuthenticated);
  });

  it.each([
    [['enterprise_admin'], 'needs a scope'],
    [['wizard:*'], 'unknown role'],
    [[42], 'must be strings'],
  ])('refuses roles %j (%s)', async (roles, why) => {
    const token = await new SignJWT({ user_id: 7, username: 'ana', roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(token)).rejects.toThrow(why);
  });

  it('refuses garbage', async () => {
    await expect(verifier.verify('not-a-token')).rejects.toThrow(NotAuthenticated);
  });
});

describe('RS256 tokens from a JWKS endpoint', () => {
  let server: Server;
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwksUrl: string;

  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('accepts a token signed by a key the JWKS publishes, and no HS256 token', async () => {
    const rsConfig = testConfig({ jwt: { ...config.jwt, secret: null, jwksUrl, usingDevSecret: false } });
    const rs = createTokenVerifier(rsConfig, clock);
    const token = await new SignJWT({ user_id: 9, username: 'rsa' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 60)
      .sign(keys.privateKey);
    expect((await rs.verify(token)).lmsUserId).toBe(9);
    const hs = await signDevToken(secret, { userId: 9, username: 'rsa' }, clock.now());
    await expect(rs.verify(hs)).rejects.toThrow(/HS256 are not accepted/);
  });

  it('refuses an HS256 token whose "secret" is the published RS256 public key (key confusion)', async () => {
    const rs = createTokenVerifier(
      testConfig({ jwt: { ...config.jwt, secret: null, jwksUrl, usingDevSecret: false } }),
      clock,
    );
    const publicPem = await exportSPKI(keys.publicKey);
    const confused = await new SignJWT({ user_id: 9, username: 'rsa' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 60)
      .sign(new TextEncoder().encode(publicPem));
    await expect(rs.verify(confused)).rejects.toThrow(NotAuthenticated);
  });
});

describe('roles', () => {
  it('parses role:uuid and role:*, with or without hyphens', () => {
    expect(parseRoleGrant(`enterprise_learner:${ENTERPRISE_A.replace(/-/g, '')}`)).toEqual({
      role: 'enterprise_learner',
      scope: ENTERPRISE_A,
    });
    expect(parseRoleGrant('catalog_admin:*')).toEqual({ role: 'catalog_admin', scope: '*' });
  });

  it('grants a role only in its enterprise, everywhere for *, and always to staff', () => {
    const admin = {
      lmsUserId: 1,
      username: 'a',
      email: null,
      isStaff: false,
      grants: [{ role: 'enterprise_admin' as const, scope: ENTERPRISE_A }],
    };
    expect(hasRole(admin, 'enterprise_admin', ENTERPRISE_A)).toBe(true);
    expect(hasRole(admin, 'enterprise_admin', ENTERPRISE_B)).toBe(false);
    expect(hasRole(admin, 'enterprise_learner', ENTERPRISE_A)).toBe(false);
    expect(() => requireRole(admin, 'enterprise_admin', ENTERPRISE_B)).toThrow(/permission/);
    const operator = { ...admin, grants: [{ role: 'enterprise_openedx_operator' as const, scope: '*' }] };
    expect(hasRole(operator, 'enterprise_openedx_operator', ENTERPRISE_B)).toBe(true);
    expect(hasRole({ ...admin, isStaff: true, grants: [] }, 'catalog_admin')).toBe(true);
  });
});

describe('GET /api/v1/me/', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('returns the caller read from the token', async () => {
    const token = await t.token({
      userId: 5,
      username: 'bo',
      email: 'bo@example.com',
      roles: ['catalog_admin:*'],
    });
    const res = await t.request({ method: 'GET', url: '/api/v1/me/', as: token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      lms_user_id: 5,
      username: 'bo',
      email: 'bo@example.com',
      is_staff: false,
      roles: ['catalog_admin:*'],
    });
  });

  it('answers 401 JSON to a missing, bad or expired token', async () => {
    const expired = await t.token({ userId: 5, expiresIn: 1 });
    t.clock.advance(2000);
    for (const authorization of [undefined, 'JWT nonsense', 'Basic abc', `JWT ${expired}`]) {
      const res = await t.request({
        method: 'GET',
        url: '/api/v1/me/',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toMatch(/^(not_authenticated|invalid_token)$/);
      expect(res.headers['www-authenticate']).toBeDefined();
    }
  });
});

describe('hostile and malformed tokens', () => {
  const now = Math.floor(clock.now().getTime() / 1000);
  const sign = (claims: Record<string, unknown>, at = now) =>
    new SignJWT({ user_id: 7, username: 'ana', ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(at)
      .sign(new TextEncoder().encode(secret));

  it('refuses a token expired by one second, and accepts it one second before', async () => {
    const token = await sign({ exp: now + 60 });
    const at = (ms: number) =>
      createTokenVerifier(config, new FixedClock(new Date(clock.now().getTime() + ms)));
    expect((await at(59_000).verify(token)).lmsUserId).toBe(7);
    await expect(at(61_000).verify(token)).rejects.toThrow(/expired/);
  });

  it('refuses a token that is not valid yet (nbf in the future)', async () => {
    const token = await sign({ exp: now + 600, nbf: now + 300 });
    await expect(verifier.verify(token)).rejects.toThrow(NotAuthenticated);
  });

  it('refuses a token issued in the future beyond a minute of clock skew', async () => {
    const ahead = await sign({ exp: now + 7200 }, now + MAX_IAT_SKEW_SECONDS + 1);
    await expect(verifier.verify(ahead)).rejects.toThrow(/issued in the future/);
    const skewed = await sign({ exp: now + 7200 }, now + MAX_IAT_SKEW_SECONDS);
    expect((await verifier.verify(skewed)).lmsUserId).toBe(7);
  });

  it('refuses a wrong issuer or audience when they are configured', async () => {
    const strict = createTokenVerifier(
      testConfig({ jwt: { ...config.jwt, issuer: 'https://lms.example.com/oauth2', audience: 'campus' } }),
      clock,
    );
    const good = await sign({ exp: now + 60, iss: 'https://lms.example.com/oauth2', aud: 'campus' });
    expect((await strict.verify(good)).lmsUserId).toBe(7);
    for (const claims of [
      { iss: 'https://evil.example.com', aud: 'campus' },
      { iss: 'https://lms.example.com/oauth2', aud: 'someone-else' },
      { aud: 'campus' },
    ]) {
      await expect(strict.verify(await sign({ exp: now + 60, ...claims }))).rejects.toThrow(NotAuthenticated);
    }
  });

  it.each([
    ['a role that is not a string', [42]],
    ['an unknown role', [`enterprise_superuser:${ENTERPRISE_A}`]],
    ['a role without a scope', ['enterprise_admin']],
    ['roles that are not a list', 'enterprise_admin:*'],
  ])('refuses %s', async (_what, roles) => {
    await expect(verifier.verify(await sign({ exp: now + 60, roles }))).rejects.toThrow(/roles/);
  });

  it('refuses a user_id that is not a whole number', async () => {
    for (const user_id of [-1, 1.5, 'abc', null]) {
      await expect(verifier.verify(await sign({ exp: now + 60, user_id }))).rejects.toThrow(/user_id/);
    }
  });

  it('refuses a header that carries two tokens', () => {
    expect(() => tokenFromHeader('JWT a.b.c JWT d.e.f')).toThrow(NotAuthenticated);
    expect(() => tokenFromHeader('JWT a.b.c, Bearer d.e.f')).toThrow(NotAuthenticated);
  });
});

describe('the LMS JWT cookie pair', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  const cookiesOf = (token: string) => {
    const [h, p, sig] = token.split('.');
    return `csrftoken=x; ${JWT_COOKIE_HEADER_PAYLOAD}=${h}.${p}; ${JWT_COOKIE_SIGNATURE}=${sig}`;
  };

  it('joins the two cookies into one token and verifies it like a header token', async () => {
    const token = await t.token({ userId: 5, email: 'bo@example.com' });
    expect(tokenFromCookies(fastifyCookie.parse(cookiesOf(token)))).toBe(token);
    const res = await t.request({ method: 'GET', url: '/api/v1/me/', headers: { cookie: cookiesOf(token) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().lms_user_id).toBe(5);
  });

  it('refuses a cookie pair whose signature does not match, or with one half missing', async () => {
    const token = await t.token({ userId: 5 });
    const other = await t.token({ userId: 6 });
    const forged = `${JWT_COOKIE_HEADER_PAYLOAD}=${other.split('.').slice(0, 2).join('.')}; ${JWT_COOKIE_SIGNATURE}=${token.split('.')[2]}`;
    for (const cookie of [forged, `${JWT_COOKIE_SIGNATURE}=${token.split('.')[2]}`]) {
      const res = await t.request({ method: 'GET', url: '/api/v1/me/', headers: { cookie } });
      expect(res.statusCode).toBe(401);
    }
  });

  it('needs the USE-JWT-COOKIE header on a state-changing request (a cross-site page cannot add it)', async () => {
    const token = await t.token({ userId: 900, roles: ['enterprise_openedx_operator:*'] });
    const payload = { name: 'Cookie Co', slug: 'cookie-co' };
    const bare = await t.request({
      method: 'POST',
      url: '/enterprise/api/v1/enterprise-customer/',
      headers: { cookie: cookiesOf(token) },
      payload,
    });
    expect(bare.statusCode).toBe(401);
    expect(bare.json().error_code).toBe('csrf_header_missing');
    const withHeader = await t.request({
      method: 'POST',
      url: '/enterprise/api/v1/enterprise-customer/',
      headers: { cookie: cookiesOf(token), 'use-jwt-cookie': 'true', 'x-csrftoken': 'x' },
      payload,
    });
    expect(withHeader.statusCode).toBe(201);
  });

  it('counts only USE-JWT-COOKIE: true, not any value of the header', async () => {
    const token = await t.token({ userId: 900, roles: ['enterprise_openedx_operator:*'] });
    for (const value of ['false', '0', '', 'yes']) {
      const res = await t.request({
        method: 'POST',
        url: '/enterprise/api/v1/enterprise-customer/',
        headers: { cookie: cookiesOf(token), 'use-jwt-cookie': value },
        payload: { name: 'Header Co', slug: 'header-co' },
      });
      expect(res.statusCode, value).toBe(401);
      expect(res.json().error_code, value).toBe('csrf_header_missing');
    }
  });

  it('answers 401, not 500, to a cookie that is not valid percent-encoding (Cookie: other=100%)', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/me/', headers: { cookie: 'other=100%' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('not_authenticated');
  });

  it('still authenticates a valid JWT cookie pair sent next to a malformed cookie', async () => {
    const token = await t.token({ userId: 5 });
    const cookie = `other=100%; bad=%E0%A4%A; ${cookiesOf(token)}`;
    const res = await t.request({ method: 'GET', url: '/api/v1/me/', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().lms_user_id).toBe(5);
  });
});
