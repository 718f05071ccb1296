import { ValidationFailed } from '../../shared/errors.js';
import { CONTENT_FILTER_FIELDS } from '../catalog/index.js';

const CONTENT_TYPES = ['course', 'courserun', 'program'];

/**
 * Checks a catalog's content filter: an object whose keys are catalog fields and whose values are
 * a string or a non-empty list of strings. Anything else is a 400 `invalid_content_filter` naming
 * each bad key.
 */
export function validateContentFilter(filter: Record<string, unknown>): Record<string, string | string[]> {
  const errors: Record<string, string[]> = {};
  const clean: Record<string, string | string[]> = {};
  const known = CONTENT_FILTER_FIELDS as readonly string[];
  for (const [key, value] of Object.entries(filter)) {
    const field = `content_filter.${key}`;
    if (!known.includes(key)) {
      errors[field] = [`Unknown field; use one of ${known.join(', ')}.`];
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || !values.every((v) => typeof v === 'string' && v.length > 0)) {
      errors[field] = ['Give a non-empty string or a non-empty list of non-empty strings.'];
      continue;
    }
    if (key === 'content_type' && !values.every((v) => CONTENT_TYPES.includes(v as string))) {
      errors[field] = [`content_type is one of ${CONTENT_TYPES.join(', ')}.`];
      continue;
    }
    clean[key] = value as string | string[];
  }
  if (Object.keys(errors).length > 0) {
    throw new ValidationFailed('The content filter is invalid.', errors, 'invalid_content_filter');
  }
  return clean;
}
