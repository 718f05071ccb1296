import type { AppContext } from '../../context.js';
import { centsToDollarString } from '../../shared/money.js';
import type { Principal } from '../../shared/principal.js';
import { contentPrice, getCourseByKey, getRunByKey } from '../catalog/index.js';
import { requireRead } from './authorize.js';
import { customerCatalogsContaining } from './contains.js';
import * as customers from './customers.repository.js';
import { contentNotFound, customerNotFound } from './enterprise.errors.js';

export interface ContentMetadata {
  key: string;
  uuid: string;
  title: string;
  content_type: 'course' | 'courserun';
  content_key: string;
  /** The course key of a run; null for a course. */
  parent_content_key: string | null;
  /** The price a learner pays, in cents; null when the catalog knows no paid price. */
  content_price: number | null;
  /** The same price in dollars, as a decimal string ("49.00"). */
  price: string | null;
  /** The catalogs of the customer that contain the content. */
  catalog_uuids: string[];
  [field: string]: unknown;
}

/**
 * A course or run record from the catalog, when one of the customer's catalogs contains it, with
 * its price. 404 `content_not_found` otherwise. The customer's admins and learners.
 */
export async function contentMetadata(
  ctx: AppContext,
  actor: Principal,
  input: { customerUuid: string; key: string },
): Promise<ContentMetadata> {
  await requireRead(ctx.db.kysely, actor, input.customerUuid);
  if (!(await customers.getByUuid(ctx.db.kysely, input.customerUuid)))
    throw customerNotFound(input.customerUuid);
  const catalogUuids = await customerCatalogsContaining(ctx.db.kysely, input.customerUuid, [input.key]);
  if (catalogUuids.length === 0) throw contentNotFound(input.key);
  const run = await getRunByKey(ctx, ctx.db.kysely, input.key);
  const course = run ? null : await getCourseByKey(ctx, ctx.db.kysely, input.key);
  const record = run ?? course;
  if (!record) throw contentNotFound(input.key);
  const cents = await contentPrice(ctx, ctx.db.kysely, input.key);
  return {
    ...record,
    content_type: run ? 'courserun' : 'course',
    content_key: record.key,
    parent_content_key: run ? run.course : null,
    content_price: cents,
    price: cents === null ? null : centsToDollarString(cents),
    catalog_uuids: catalogUuids,
  };
}
