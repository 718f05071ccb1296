import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { type CommerceFacts, commerceFacts } from '../catalog/index.js';

export type ContentFacts = CommerceFacts;

/** What redemption needs to know of each content key (null when the catalog does not know it), in a few queries. */
export async function contentFacts(
  ctx: AppContext,
  db: Executor,
  contentKeys: string[],
): Promise<Map<string, ContentFacts | null>> {
  return commerceFacts(ctx, db, contentKeys);
}
