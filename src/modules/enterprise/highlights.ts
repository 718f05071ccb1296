import type { AppContext } from '../../context.js';
import { BusinessRule } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { requireManage, requireRead } from './authorize.js';

/*
 * enterprise-catalog's content highlights (curations and their highlight sets) and academies.
 * Campus curates neither, so every customer has none: the answers are those of enterprise-catalog
 * for a customer that never set them up, which both portals read as "nothing to show". Who may ask
 * is checked all the same, so that these paths reveal nothing about a customer to outsiders.
 */

/** An empty page, as DRF's paginator gives it. */
export function emptyPage() {
  return { count: 0, num_pages: 1, current_page: 1, next: null, previous: null, results: [] as never[] };
}

/** Learners and admins of the customer (the learner portal's reads). */
export async function noneForReaders(ctx: AppContext, actor: Principal, customerUuid: string | undefined) {
  if (customerUuid) await requireRead(ctx.db.kysely, actor, customerUuid);
  return emptyPage();
}

/** The customer's admins (the admin portal's curation reads). */
export function noneForAdmins(actor: Principal, customerUuid: string | undefined) {
  if (customerUuid) requireManage(actor, customerUuid);
  return emptyPage();
}

/** Creating a curation: refused, with the reason, to the customer's admins (others: 403). */
export function refuseCuration(actor: Principal, customerUuid: string): never {
  requireManage(actor, customerUuid);
  throw new BusinessRule(
    'content_highlights_not_supported',
    'Campus keeps no content highlights: build the admin portal with FEATURE_CONTENT_HIGHLIGHTS off.',
  );
}
