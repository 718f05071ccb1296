import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * What the Open edX front ends send (frontend-platform's axios clients): credentials, JSON bodies,
 * `USE-JWT-COOKIE` on every call and `X-CSRFToken` on writes, or a token in `Authorization`.
 * django-cors-headers' default list plus `use-jwt-cookie`, as the Open edX services allow.
 */
export const CORS_ALLOWED_HEADERS = [
  'Accept',
  'Authorization',
  'Content-Type',
  'USE-JWT-COOKIE',
  'X-CSRFToken',
  'X-Requested-With',
];
export const CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** How long a browser may reuse a preflight answer (django-cors-headers' default; browsers cap it). */
const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

/**
 * Lets the web apps at `allowedOrigins` (CORS_ALLOWED_ORIGINS) call Campus from the browser with
 * credentials. An origin not listed, or a request without Origin, gets no CORS headers at all, so
 * the browser keeps the answer from the page. Preflights are answered before the auth guard and the
 * rate limits (a browser sends neither cookies nor Authorization with them): register this first.
 */
export async function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]): Promise<void> {
  const allowed = new Set(allowedOrigins);
  // The plugin's catch-all `OPTIONS *` route only answers preflights (a 404 for anyone else): it is
  // public, so that an OPTIONS from an origin not listed is answered 404 as before, not 401.
  app.addHook('onRoute', (route) => {
    if (route.url === '*' && ([] as string[]).concat(route.method).includes('OPTIONS'))
      route.config = { ...(route.config as object), public: true };
  });
  await app.register(fastifyCors, {
    // The Origin header is echoed only when listed; `false` leaves the answer without CORS headers.
    origin: (origin, callback) =>
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: CORS_ALLOWED_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    // An OPTIONS from a listed origin without Access-Control-Request-Method is answered as a
    // preflight too, rather than with the plugin's plain-text 400 (every 4xx of Campus carries
    // an error_code, and browsers never send such a request).
    strictPreflight: false,
  });
}
