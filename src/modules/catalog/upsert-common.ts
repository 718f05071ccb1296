import type { Trx } from '../../database.js';
import type { Clock } from '../../shared/clock.js';
import type { Ids } from '../../shared/ids.js';
import { loadTypeCatalogue, type TypeCatalogue } from './type-catalogue.js';

/**
 * Get-or-create writes for importers (`campus import catalog`): each runs inside the caller's
 * transaction, matches an existing record by key (programs: uuid, else title and type), and says
 * whether it created, updated or left the record unchanged, so that re-running an import is a no-op.
 * They check the catalog's rules like the API does, except that existing data may use the `empty`
 * run type (or course type) whatever its course's type, as course-discovery allows
 * (docs/decisions/0010-course-type-catalogue.md).
 */

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';
export interface UpsertResult {
  outcome: UpsertOutcome;
  uuid: string;
}
export interface WriteDeps {
  clock: Clock;
  ids: Ids;
}

// An import writes many records per transaction and creates no types: load the catalogue once per transaction.
export const cataloguePerTransaction = new WeakMap<Trx, Promise<TypeCatalogue>>();
export function catalogueOf(trx: Trx): Promise<TypeCatalogue> {
  let cat = cataloguePerTransaction.get(trx);
  if (!cat) {
    cat = loadTypeCatalogue(trx);
    cataloguePerTransaction.set(trx, cat);
  }
  return cat;
}

export const sameTime = (a: Date | null | undefined, b: Date | null | undefined) =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);
export const REVIEWED: string[] = ['reviewed', 'published'];
