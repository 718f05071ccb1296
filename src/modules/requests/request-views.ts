import type { Executor } from '../../database.js';
import { coursePartners } from '../catalog/index.js';
import type { RequestWithAction } from './requests.repository.js';
import { type RequestView, requestView } from './views.js';

/**
 * Requests as responses show them, with their courses' partners from the catalog (the learner
 * portal's cards name the first): one catalog lookup for all of them, none when every row has its own.
 */
export async function requestViewsOf(db: Executor, rows: RequestWithAction[]): Promise<RequestView[]> {
  const lacking = rows.filter((r) => !r.course_partners?.length).map((r) => r.course_id);
  const catalog = lacking.length ? await coursePartners(db, lacking) : new Map();
  return rows.map((r) => requestView(r, catalog.get(r.course_id)?.partners ?? []));
}
