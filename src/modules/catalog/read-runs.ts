import type { AppContext } from '../../context.js';
import { NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import type { Listed } from './course-types.js';
import { runViews } from './hydrate.js';
import { isUuid } from './lookup-keys.js';
import { getRunByKey, getRunByUuid, getRunsByKeys, listRuns as listRows } from './runs.repository.js';
import type { ProgramStatus } from './schema.js';
import { loadTypeCatalogue } from './type-catalogue.js';
import type { RunView } from './views.js';

export interface ProgramVisibility {
  include_unpublished_programs?: boolean;
  include_retired_programs?: boolean;
  include_deleted_programs?: boolean;
}

/** A run's `programs` list only active programs unless asked for the others. */
export function programStatuses(v: ProgramVisibility = {}): ProgramStatus[] {
  return [
    'active',
    ...(v.include_unpublished_programs ? (['unpublished'] as const) : []),
    ...(v.include_retired_programs ? (['retired'] as const) : []),
    ...(v.include_deleted_programs ? (['deleted'] as const) : []),
  ];
}

export async function listRuns(
  ctx: AppContext,
  _actor: Principal,
  input: {
    keys?: string[];
    active?: boolean;
    marketable?: boolean;
    offset: number;
    limit: number;
  } & ProgramVisibility,
): Promise<Listed<RunView>> {
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const filter = {
    keys: input.keys,
    activeAt: input.active ? now : undefined,
    marketable: input.marketable,
  };
  const [{ count, rows }, cat] = await Promise.all([listRows(db, filter, input), loadTypeCatalogue(db)]);
  return { count, rows: await runViews(db, cat, rows, now, { programStatuses: programStatuses(input) }) };
}

/** One run by key (`course-v1:edX+DemoX+1T2026`) or uuid, with the programs it belongs to. */
export async function getRun(
  ctx: AppContext,
  _actor: Principal,
  keyOrUuid: string,
  visibility: ProgramVisibility = {},
): Promise<RunView> {
  const db = ctx.db.kysely;
  const row = isUuid(keyOrUuid) ? await getRunByUuid(db, keyOrUuid) : await getRunByKey(db, keyOrUuid);
  if (!row) throw new NotFound('No course run with this key.');
  const [view] = await runViews(db, await loadTypeCatalogue(db), [row], ctx.clock.now(), {
    programStatuses: programStatuses(visibility),
  });
  return view!;
}

/** `/course_runs/contains/`: for each key, whether the catalog holds that run. */
export async function runsContain(
  ctx: AppContext,
  _actor: Principal,
  keys: string[],
): Promise<Record<string, boolean>> {
  const found = new Set((await getRunsByKeys(ctx.db.kysely, keys)).map((r) => r.key));
  return Object.fromEntries(keys.map((k) => [k, found.has(k)]));
}
