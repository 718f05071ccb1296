import type { Executor } from '../../database.js';
import { Conflict } from '../../shared/errors.js';
import { takenKeys } from './runs.repository.js';

/** `{ceil(month/4)}T{year}` of the start date in UTC: 1T2000 for January to April 2000. */
export function termFor(start: Date): string {
  return `${Math.ceil((start.getUTCMonth() + 1) / 4)}T${start.getUTCFullYear()}`;
}

/** `course-v1:ORG+NUMBER+TERM`, the org and number taken from key_for_reruns when it is set. */
export function baseRunKey(course: { key: string; key_for_reruns: string | null }, term: string): string {
  return `course-v1:${course.key_for_reruns || course.key}+${term}`;
}

const SUFFIXES = ['', ...'abcdefghijklmnopqrstuvwxyz'];

/** The first free key among base, base+a, base+b, ... (one query). */
export async function nextRunKey(db: Executor, base: string): Promise<string> {
  const candidates = SUFFIXES.map((s) => base + s);
  const taken = new Set(await takenKeys(db, candidates));
  const free = candidates.find((k) => !taken.has(k));
  if (!free) throw new Conflict(`Every run key from ${base} to ${base}z is taken.`, 'run_keys_exhausted');
  return free;
}
