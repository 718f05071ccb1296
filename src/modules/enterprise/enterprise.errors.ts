import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../shared/errors.js';

export const customerNotFound = (uuid: string) =>
  new NotFound(`No enterprise customer ${uuid}.`, 'enterprise_customer_not_found');
export const catalogNotFound = (uuid: string) =>
  new NotFound(`No enterprise catalog ${uuid}.`, 'enterprise_catalog_not_found');
export const groupNotFound = (uuid: string) =>
  new NotFound(`No enterprise group ${uuid}.`, 'enterprise_group_not_found');
export const membershipNotFound = (lmsUserId: number) =>
  new NotFound(`Learner ${lmsUserId} is not an active member of this enterprise.`, 'membership_not_found');
export const contentNotFound = (key: string) =>
  new NotFound(`No matching content in any catalog for this customer: ${key}.`, 'content_not_found');

/** The same answer whether or not the id is a user: an admin learns nothing about strangers. */
export const directLinkOperatorsOnly = () =>
  new Forbidden(
    'Only operators may link a user by lms_user_id (admins may reactivate their own learners this way); invite people by email instead: they join when they sign in.',
    'direct_link_operators_only',
  );

export const slugTaken = (slug: string) =>
  new Conflict(
    `The slug ${slug} is already used by another enterprise customer; choose another.`,
    'slug_taken',
  );
export const customerExists = (uuid: string) =>
  new Conflict(`An enterprise customer ${uuid} already exists.`, 'enterprise_customer_exists');
export const catalogExists = (uuid: string) =>
  new Conflict(`An enterprise catalog ${uuid} already exists.`, 'enterprise_catalog_exists');
export const groupExists = (name: string) =>
  new Conflict(`This enterprise already has a group named ${name}.`, 'enterprise_group_exists');
export const customerInUse = (uuid: string) =>
  new Conflict(
    `Enterprise customer ${uuid} still has learners, catalogs, groups or subsidies; deactivate it instead.`,
    'enterprise_customer_in_use',
  );

export const noContentKeys = () =>
  ValidationFailed.field(
    'course_run_ids',
    'Give at least one content key in course_run_ids or program_uuids.',
    'missing_content_keys',
  );

/** The constraint a unique violation (23505) broke, or null for any other error. */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  if (e?.code !== '23505') return null;
  return typeof e.constraint === 'string' ? e.constraint : '';
}

export function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23503';
}
