import type { FastifyRequest } from 'fastify';

function firstValue(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  return raw?.split(',')[0]?.trim() || undefined;
}

/**
 * The origin the client used (`https://campus.example.com`), honouring a proxy's
 * X-Forwarded-Proto / X-Forwarded-Host so that links handed to clients are fetchable as they are.
 */
export function requestOrigin(request: FastifyRequest): string {
  const proto = firstValue(request.headers['x-forwarded-proto']) ?? request.protocol;
  const host = firstValue(request.headers['x-forwarded-host']) ?? request.headers.host ?? 'localhost';
  return `${proto === 'https' ? 'https' : 'http'}://${host}`;
}

/** An absolute URL on this server for `path` (which starts with `/`). */
export function absoluteUrl(request: FastifyRequest, path: string): string {
  return `${requestOrigin(request)}${path}`;
}
