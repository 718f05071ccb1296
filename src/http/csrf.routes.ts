import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { Forbidden } from '../shared/errors.js';

/**
 * CSRF for writes authenticated by the LMS JWT cookies, as edx-drf-extensions does it for the
 * Open edX front ends: `GET /csrf/api/v1/token` answers `{"csrfToken": ...}` and sets the
 * `csrftoken` cookie; a cookie-authenticated POST/PUT/PATCH/DELETE must send that token back in
 * `X-CSRFToken` (double submit). A page on another site can neither read the token nor set the
 * header, and the token is random, so Campus keeps no state for it.
 *
 * frontend-platform (`src/auth/AxiosCsrfTokenService.js`) asks `{protocol}://{host}` of the
 * request URL + `CSRF_TOKEN_API_PATH` (`/csrf/api/v1/token`): the root of the host, whatever the
 * service base URL's path (`/access`, `/credentials`, ...), once per host and page.
 */
export const CSRF_TOKEN_PATH = '/csrf/api/v1/token';
export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'x-csrftoken';

/** Django's CSRF_COOKIE_AGE: a year, so that a token cached by an open page stays good. */
const COOKIE_MAX_AGE_SECONDS = 52 * 7 * 24 * 3600;

/**
 * Campus's tokens: 32 random bytes, base64url. Django's (the LMS's own `csrftoken`, which may be
 * set on the parent domain and reach Campus too) are 64 letters and digits, so they never pass for one.
 */
const CAMPUS_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const newToken = () => randomBytes(32).toString('base64url');

/**
 * Every value of the `csrftoken` cookies the request carries. A browser may send two of that name
 * (Campus's, host-only, and the LMS's when its CSRF_COOKIE_DOMAIN covers Campus's host); a parser
 * keeps only one, so the Cookie header is read here.
 */
function csrfCookies(request: FastifyRequest): string[] {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== CSRF_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (value !== '') values.push(value);
  }
  return values;
}

/** Equal strings, compared in time that does not depend on where they differ. */
function sameToken(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The double-submit check of a cookie-authenticated write: 403 `csrf_token_missing` without an
 * `X-CSRFToken` header, 403 `csrf_token_invalid` when it equals no `csrftoken` cookie sent.
 */
export function checkCsrfToken(request: FastifyRequest): void {
  const header = request.headers[CSRF_HEADER];
  const token = typeof header === 'string' ? header.trim() : '';
  if (token === '') {
    throw new Forbidden(
      `A request authenticated by the JWT cookies must send the header X-CSRFToken with the token from GET ${CSRF_TOKEN_PATH}.`,
      'csrf_token_missing',
    );
  }
  // Every cookie is compared, so the time taken does not say which one matched.
  let matched = false;
  for (const cookie of csrfCookies(request)) matched = sameToken(token, cookie) || matched;
  if (!matched) {
    throw new Forbidden(
      `The X-CSRFToken header does not match the csrftoken cookie; fetch a new token from GET ${CSRF_TOKEN_PATH}.`,
      'csrf_token_invalid',
    );
  }
}

const tokenSchema = z.object({ csrfToken: z.string() });

export const csrfRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Secure whenever Campus is reached over HTTPS, including behind a proxy that ends TLS.
  const secureOrigin = ctx.config.publicUrl.startsWith('https:');

  app.get(
    CSRF_TOKEN_PATH,
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'A CSRF token for cookie-authenticated writes (edx-drf-extensions)',
        description:
          'Sets the `csrftoken` cookie and returns the same token; send it as `X-CSRFToken` on every ' +
          'POST, PUT, PATCH and DELETE authenticated by the LMS JWT cookies. A token already set is ' +
          'returned again, so that pages and apps open side by side share it.',
        response: { 200: tokenSchema },
      },
    },
    async (request, reply) => {
      const token = csrfCookies(request).find((c) => CAMPUS_TOKEN.test(c)) ?? newToken();
      // Readable by Campus's own pages (not HttpOnly, as Django's); host-only, so neither the LMS
      // nor a sibling host shares it; Lax, so a cross-site request does not carry it.
      reply.setCookie(CSRF_COOKIE, token, {
        path: '/',
        sameSite: 'lax',
        secure: secureOrigin || request.protocol === 'https',
        maxAge: COOKIE_MAX_AGE_SECONDS,
      });
      reply.header('cache-control', 'no-store');
      return { csrfToken: token };
    },
  );
};
