import type { FastifyInstance } from 'fastify';
import { ValidationFailed } from '../shared/errors.js';

const MESSAGE = 'must not contain NUL characters (\\u0000)';

/** Where a string holding NUL sits in a parsed value (`a.b.0`), or null when there is none. */
function nulAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = nulAt(inner, at, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * PostgreSQL cannot store NUL in text, so a string holding one (in the path, the query or the
 * body) fails in the database as a 500. Refuse it at the door with the usual 400, naming the
 * field the way schema validation does (body and query fields as sent, path parameters as
 * `params.<name>`).
 */
export function registerNulCharacterGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const field =
      nulAt(request.params, 'params') ?? nulAt(request.query, '') ?? nulAt(request.body, '') ?? null;
    if (field !== null) {
      const name = field || 'non_field_errors';
      throw new ValidationFailed(`${name}: ${MESSAGE}`, { [name]: [MESSAGE] });
    }
  });
}
