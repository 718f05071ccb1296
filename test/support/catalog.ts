import { SEEDED_COURSE_TYPES, SEEDED_RUN_TYPES, SEEDED_TRACKS } from '../../src/modules/catalog/index.js';
import type { TestApp } from './app.js';

/** The seeded types' fixed uuids (migration 2026_11_23_0110_catalog_seed_types). */
export const RUN_TYPE = SEEDED_RUN_TYPES;
export const COURSE_TYPE = SEEDED_COURSE_TYPES;
export const TRACK = SEEDED_TRACKS;

/** Small HTTP helpers over one test app, acting as `as`. */
export function catalogClient(t: TestApp, as: string) {
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await t.request({ method, url: `/catalog/api/v1${url}`, payload, as });
    return { status: res.statusCode, body: res.json() };
  };
  let n = 0;
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: object) => call('POST', url, payload),
    patch: (url: string, payload: object) => call('PATCH', url, payload),
    /** An organization with a fresh key. */
    async org(key = `Org${++n}${Math.random().toString(36).slice(2, 6)}`) {
      const r = await call('POST', '/organizations/', { key, name: `${key} University` });
      if (r.status !== 201) throw new Error(`org: ${JSON.stringify(r.body)}`);
      return key;
    },
    /** A course of the given type (slug) with an optional embedded run; returns the response body. */
    async course(org: string, type: keyof typeof COURSE_TYPE, extra: object = {}) {
      const r = await call('POST', '/courses/', {
        title: `Course ${++n}`,
        number: `C${n}${Math.random().toString(36).slice(2, 6)}`,
        org,
        type: COURSE_TYPE[type],
        ...extra,
      });
      if (r.status !== 201) throw new Error(`course: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async run(course: string, runType: keyof typeof RUN_TYPE, extra: object = {}) {
      const r = await call('POST', '/course_runs/', {
        course,
        start: '2026-09-01T00:00:00Z',
        end: '2026-12-15T00:00:00Z',
        run_type: RUN_TYPE[runType],
        ...extra,
      });
      if (r.status !== 201) throw new Error(`run: ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}

export const seatsOf = (run: { seats: { type: string; price: string }[] }) =>
  Object.fromEntries(run.seats.map((s) => [s.type, s.price]));
