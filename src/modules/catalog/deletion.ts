import { DomainError } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';

/** Courses and runs are never deleted (course-discovery answers 405): unpublish or hide them instead. */
export function refuseDeletion(_actor: Principal, what: 'course' | 'course run'): never {
  throw new DomainError(
    405,
    'method_not_allowed',
    `A ${what} cannot be deleted. Unpublish it, or hide a run, instead.`,
  );
}
