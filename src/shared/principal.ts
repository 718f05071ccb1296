import { Forbidden } from './errors.js';

export const ROLES = [
  'enterprise_learner',
  'enterprise_admin',
  'enterprise_openedx_operator',
  'enterprise_provisioning_admin',
  'catalog_admin',
  'credentials_admin',
] as const;
export type Role = (typeof ROLES)[number];

/** `role:<enterprise uuid>` grants the role in one enterprise; `role:*` in all of them. */
export interface RoleGrant {
  role: Role;
  scope: string;
}

/** Who is asking: the caller of a request or of a CLI command, taken from a verified JWT. */
export interface Principal {
  lmsUserId: number;
  username: string;
  email: string | null;
  /** The LMS `name` claim (the learner's full name), when the token carries one. */
  fullName?: string | null;
  /** The LMS `administrator` claim: staff may do everything. */
  isStaff: boolean;
  grants: RoleGrant[];
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Canonical (lower-case, hyphenated) form of a uuid given with or without hyphens. */
export function canonicalUuid(value: string): string {
  const hex = value.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Parses one `roles` claim entry; returns an error message for a malformed or unknown one. */
export function parseRoleGrant(entry: unknown): RoleGrant | string {
  if (typeof entry !== 'string') return 'role entries must be strings';
  const sep = entry.indexOf(':');
  const role = sep === -1 ? entry : entry.slice(0, sep);
  const scope = sep === -1 ? '' : entry.slice(sep + 1);
  if (!(ROLES as readonly string[]).includes(role)) return `unknown role "${role}"`;
  if (scope === '*') return { role: role as Role, scope };
  if (!UUID.test(scope)) return `role "${role}" needs a scope: an enterprise uuid or *`;
  return { role: role as Role, scope: canonicalUuid(scope) };
}

/** True when the principal holds `role` in `enterpriseUuid` (or everywhere), or is staff. */
export function hasRole(
  principal: Principal,
  role: Role | readonly Role[],
  enterpriseUuid?: string,
): boolean {
  if (principal.isStaff) return true;
  const roles: readonly Role[] = typeof role === 'string' ? [role] : role;
  const scope = enterpriseUuid ? canonicalUuid(enterpriseUuid) : undefined;
  return principal.grants.some((g) => roles.includes(g.role) && (g.scope === '*' || g.scope === scope));
}

/** Throws Forbidden unless the principal holds one of the roles in the enterprise (or everywhere). */
export function requireRole(
  principal: Principal,
  role: Role | readonly Role[],
  enterpriseUuid?: string,
): void {
  if (!hasRole(principal, role, enterpriseUuid)) throw new Forbidden();
}

/** Operators act on every enterprise: staff, or `enterprise_openedx_operator:*`. */
export function isOperator(principal: Principal): boolean {
  return (
    principal.isStaff ||
    principal.grants.some((g) => g.role === 'enterprise_openedx_operator' && g.scope === '*')
  );
}

export function requireOperator(principal: Principal): void {
  if (!isOperator(principal)) throw new Forbidden('Only operators may perform this action.');
}

/** The enterprises in which the principal holds one of the roles; `'*'` means all of them. */
export function enterprisesWithRole(principal: Principal, role: Role | readonly Role[]): string[] | '*' {
  if (principal.isStaff) return '*';
  const roles: readonly Role[] = typeof role === 'string' ? [role] : role;
  const scopes = principal.grants.filter((g) => roles.includes(g.role)).map((g) => g.scope);
  return scopes.includes('*') ? '*' : [...new Set(scopes)];
}
