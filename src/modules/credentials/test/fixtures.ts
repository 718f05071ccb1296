import type { TestApp } from '../../../../test/support/app.js';
import { catalogClient } from '../../../../test/support/catalog.js';

/** A parsed JSON response body, read loosely by the tests. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by assertions, not types
export type Body = any;

export const ADMIN_ROLES = ['credentials_admin:*'];

/**
 * The upstream scenarios' fixture: courses A (runs A1, A2), B (B1) and C (C1); program P contains A,
 * B and C in that order and excludes A1. Every run type is verified (+audit).
 */
export async function programFixture(t: TestApp, staff: string, options: { excludeA1?: boolean } = {}) {
  const cat = catalogClient(t, staff);
  const org = await cat.org();
  const course = () => cat.course(org, 'verified-audit');
  const run = (key: string, start: string, extra: object = {}) =>
    cat.run(key, 'verified-audit', { start, end: '2026-04-01T00:00:00Z', ...extra });
  const A = await course();
  const B = await course();
  const C = await course();
  const A1 = await run(A.key, '2025-01-01T00:00:00Z');
  const A2 = await run(A.key, '2025-06-01T00:00:00Z');
  const B1 = await run(B.key, '2025-02-01T00:00:00Z');
  const C1 = await run(C.key, '2025-03-01T00:00:00Z');
  const P = await cat.post('/programs/', {
    title: `Program ${org}`,
    type: 'professional-certificate',
    status: 'active',
    courses: [A.key, B.key, C.key],
    excluded_course_runs: options.excludeA1 === false ? [] : [A1.key],
  });
  if (P.status !== 201) throw new Error(`program: ${JSON.stringify(P.body)}`);
  return { org, A, B, C, A1, A2, B1, C1, P: P.body as { uuid: string; title: string }, cat };
}

/** Calls as `as` and returns status and JSON body. */
export function client(t: TestApp, as: string | null) {
  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ) => {
    const res = await t.request({ method, url: `/credentials${url}`, payload: payload as object, as });
    let body: Body = null;
    try {
      body = res.json();
    } catch {
      body = res.body;
    }
    return { status: res.statusCode, body, headers: res.headers, text: res.body };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: unknown) => call('POST', url, payload),
    patch: (url: string, payload: unknown) => call('PATCH', url, payload),
    delete: (url: string) => call('DELETE', url),
    /** Awards (or revokes) a course-run certificate. */
    async cert(username: string, runKey: string, extra: object = {}, lmsUserId?: number) {
      const r = await call('POST', '/api/v2/credentials/', {
        username,
        ...(lmsUserId ? { lms_user_id: lmsUserId } : {}),
        credential: { course_run_key: runKey, mode: 'verified' },
        ...extra,
      });
      if (r.status !== 201) throw new Error(`cert: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async grade(
      username: string,
      runKey: string,
      letter: string | null,
      percent: number,
      extra: object = {},
    ) {
      const r = await call('POST', '/api/v2/grades/', {
        username,
        course_run: runKey,
        letter_grade: letter,
        percent_grade: percent,
        verified: true,
        ...extra,
      });
      if (r.status !== 201) throw new Error(`grade: ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}
