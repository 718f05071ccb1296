import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotAuthenticated } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { type TokenVerifier, tokenFromHeader } from './auth.js';

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
    if (token === null) {
      if (isPublic) return;
      throw new NotAuthenticated();
    }
    try {
      request.principal = await verifier.verify(token);
    } catch (err) {
      if (!isPublic) throw err;
    }
  });
}

/** The caller of a guarded route. */
export function actor(request: FastifyRequest): Principal {
  if (!request.principal) throw new NotAuthenticated();
  return request.principal;
}
