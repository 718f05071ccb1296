import type { Executor } from '../../database.js';

/** Every course key, in key order (the candidates an enterprise content filter is matched against). */
export async function allCourseKeys(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('catalog_courses').select('key').orderBy('key').execute();
  return rows.map((r) => r.key);
}

/** Every program uuid that is not deleted, in uuid order. */
export async function allProgramUuids(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('catalog_programs')
    .select('uuid')
    .where('status', '!=', 'deleted')
    .orderBy('uuid')
    .execute();
  return rows.map((r) => r.uuid);
}
