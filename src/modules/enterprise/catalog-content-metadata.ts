import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { contentOfFilter } from '../catalog/index.js';
import { loadVisibleCatalog } from './catalogs.js';

export interface CatalogContentItem {
  content_type: 'course' | 'program';
  uuid: string;
  title: string;
  key?: string;
  [field: string]: unknown;
}

/**
 * `GET enterprise-catalogs/{uuid}/get_content_metadata/`: a page of the content the catalog's
 * filter selects (courses, then programs), each as the catalog API shows it with its
 * `content_type`. The catalog's admins and learners (the admin portal reads `count`).
 */
export async function catalogContentMetadata(
  ctx: AppContext,
  actor: Principal,
  input: { catalogUuid: string; offset: number; limit: number },
): Promise<{ count: number; results: CatalogContentItem[] }> {
  const row = await loadVisibleCatalog(ctx, actor, input.catalogUuid, { learnersMayRead: true });
  const page = await contentOfFilter(ctx, row.content_filter, { offset: input.offset, limit: input.limit });
  return { count: page.count, results: page.results.map((item) => ({ ...item })) };
}
