import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * The origin the client used (`https://campus.example.com`), for links in the answer to this very
 * request (pagination `next`/`previous`, `policy_redemption_url`, …). Fastify reads it from the Host
 * header, or from X-Forwarded-Proto / X-Forwarded-Host only when the connection comes from one of
 * TRUSTED_PROXIES. A client that forges its Host header only misleads itself: the answer goes back
 * to it. Links that reach anyone else (emails, shared records) use `publicUrl` instead.
 */
export function requestOrigin(request: FastifyRequest): string {
  const host = request.host || 'localhost';
  return `${request.protocol === 'https' ? 'https' : 'http'}://${host}`;
}

/** An absolute URL on this server for `path` (which starts with `/`), as the client addressed it. */
export function absoluteUrl(request: FastifyRequest, path: string): string {
  return `${requestOrigin(request)}${path}`;
}

/**
 * An absolute URL for `path` (which starts with `/`) on the configured public origin
 * (CAMPUS_PUBLIC_URL): for links in emails and links people share, never from a request header.
 */
export function publicUrl(config: Pick<Config, 'publicUrl'>, path: string): string {
  return `${config.publicUrl}${path}`;
}
