import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StandInLms, startStandInLms } from './stand-in-lms.js';

const CUSTOMER = '2f6a8b8e-6c1e-4d7a-9a43-6f0c2e1d5b10';
const COURSE_RUN = 'course-v1:edX+DemoX+2024';
const ENROLL_PATH = `/enterprise/api/v1/enterprise-customer/${CUSTOMER}/enroll_learners_in_courses/`;
const UNENROLLED_PATH = '/enterprise/api/v1/operator/enterprise-subsidy-fulfillment/unenrolled/';

let lms: StandInLms;

beforeEach(async () => {
  lms = await startStandInLms();
});

afterEach(async () => {
  await lms.close();
});

function requestToken(secret = lms.clientSecret, grantType = 'client_credentials'): Promise<Response> {
  return fetch(`${lms.url}/oauth2/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: grantType,
      client_id: lms.clientId,
      client_secret: secret,
      token_type: 'jwt',
    }),
  });
}

async function token(): Promise<string> {
  const res = await requestToken();
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

function cancelPath(fulfillmentUuid: string): string {
  return `/enterprise/api/v1/enterprise-subsidy-fulfillment/${fulfillmentUuid}/cancel-fulfillment`;
}

interface CallOptions {
  method?: string;
  body?: unknown;
  jwt?: string | null;
  signal?: AbortSignal;
}

/** A call as Campus makes it: JSON body, `Authorization: JWT <token>` (a fresh one unless given). */
async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const jwt = options.jwt === undefined ? await token() : options.jwt;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (jwt !== null) headers.authorization = `JWT ${jwt}`;
  return fetch(`${lms.url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

function enrollBody(transactionId: string, courseRunKey = COURSE_RUN, userId = 7) {
  return {
    enrollments_info: [{ user_id: userId, course_run_key: courseRunKey, transaction_id: transactionId }],
  };
}

interface EnrollAnswer {
  successes: {
    user_id: number;
    course_run_key: string;
    created: boolean;
    enterprise_fulfillment_source_uuid: string;
  }[];
  pending: unknown[];
  failures: { user_id: number; course_run_key: string; message: string }[];
}

async function enroll(transactionId: string, courseRunKey = COURSE_RUN): Promise<EnrollAnswer> {
  const res = await call(ENROLL_PATH, { body: enrollBody(transactionId, courseRunKey) });
  expect(res.status).toBe(201);
  return (await res.json()) as EnrollAnswer;
}

async function unenrolledAfter(after: string): Promise<Response> {
  return call(`${UNENROLLED_PATH}?unenrolled_after=${encodeURIComponent(after)}`);
}

describe('stand-in LMS: tokens', () => {
  it('issues a JWT for the right client credentials and refuses wrong ones', async () => {
    const res = await requestToken();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'JWT',
      expires_in: 3600,
      scope: 'read write',
    });
    expect(lms.tokensIssued()).toBe(1);
    expect(lms.callsTo('token')[0]?.body).toMatchObject({
      grant_type: 'client_credentials',
      token_type: 'jwt',
    });

    const wrongSecret = await requestToken('not-the-secret');
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({ error: 'invalid_client' });
    expect((await requestToken(lms.clientSecret, 'password')).status).toBe(401);
    expect(lms.tokensIssued()).toBe(1);

    lms.tokenLifetimeSeconds = 120;
    expect(await (await requestToken()).json()).toMatchObject({ expires_in: 120 });
  });

  it('refuses calls without a token, with an unknown, expired or revoked one', async () => {
    const missing = await call(UNENROLLED_PATH, { jwt: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ detail: 'Authentication credentials were not provided.' });

    const unknown = await call(`${UNENROLLED_PATH}?unenrolled_after=2024-01-01T00:00:00Z`, {
      jwt: 'made-up',
    });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ detail: 'Invalid token.' });

    const live = await token();
    expect((await unenrolledAfter('2024-01-01T00:00:00Z')).status).toBe(200);
    lms.revokeTokens();
    const revoked = await call(`${UNENROLLED_PATH}?unenrolled_after=2024-01-01T00:00:00Z`, { jwt: live });
    expect(revoked.status).toBe(401);

    lms.tokenLifetimeSeconds = 1;
    const shortLived = await token();
    const path = `${UNENROLLED_PATH}?unenrolled_after=2024-01-01T00:00:00Z`;
    expect((await call(path, { jwt: shortLived })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await call(path, { jwt: shortLived });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ detail: 'Invalid token.' });
  });
});

describe('stand-in LMS: enroll', () => {
  it('creates one enrollment per transaction id and answers a repeat with the same fulfillment', async () => {
    const transactionId = randomUUID();
    const first = await enroll(transactionId);
    expect(first.pending).toEqual([]);
    expect(first.failures).toEqual([]);
    expect(first.successes).toEqual([
      {
        user_id: 7,
        course_run_key: COURSE_RUN,
        created: true,
        activation_link: null,
        enterprise_fulfillment_source_uuid: expect.any(String),
      },
    ]);
    const fulfillmentUuid = first.successes[0]?.enterprise_fulfillment_source_uuid ?? '';
    expect(lms.enrollments.get(transactionId)).toEqual({
      fulfillmentUuid,
      customerUuid: CUSTOMER,
      userId: 7,
      courseRunKey: COURSE_RUN,
      transactionId,
      forceEnrollment: false,
      created: expect.any(String),
      cancelledAt: null,
    });

    const repeat = await enroll(transactionId);
    expect(repeat.successes[0]).toMatchObject({
      created: false,
      enterprise_fulfillment_source_uuid: fulfillmentUuid,
    });
    expect(lms.enrollments.size).toBe(1);
    expect(lms.byFulfillment(fulfillmentUuid)?.transactionId).toBe(transactionId);
    expect(lms.callsTo('enroll')).toHaveLength(2);
  });

  it('answers 400 to a malformed body, 415 to a body that is not JSON, 404 to a bad customer', async () => {
    const noList = await call(ENROLL_PATH, { body: { enrollments: [] } });
    expect(noList.status).toBe(400);
    expect(await noList.json()).toEqual({ detail: expect.any(String) });
    const noTransaction = await call(ENROLL_PATH, {
      body: { enrollments_info: [{ user_id: 7, course_run_key: COURSE_RUN }] },
    });
    expect(noTransaction.status).toBe(400);

    const jwt = await token();
    const notJson = await fetch(`${lms.url}${ENROLL_PATH}`, {
      method: 'POST',
      headers: { authorization: `JWT ${jwt}`, 'content-type': 'application/json' },
      body: '{"enrollments_info": [',
    });
    expect(notJson.status).toBe(400);
    const plainText = await fetch(`${lms.url}${ENROLL_PATH}`, {
      method: 'POST',
      headers: { authorization: `JWT ${jwt}` },
      body: JSON.stringify(enrollBody(randomUUID())),
    });
    expect(plainText.status).toBe(415);

    const badCustomer = ENROLL_PATH.replace(CUSTOMER, 'undefined');
    expect((await call(badCustomer, { body: enrollBody(randomUUID()) })).status).toBe(404);
    expect(lms.enrollments.size).toBe(0);
  });

  it('puts refused course runs in failures, 409 when nothing succeeded', async () => {
    lms.refuseCourseRun('course-v1:edX+Closed+2024');
    const mixed = await call(ENROLL_PATH, {
      body: {
        enrollments_info: [
          { user_id: 7, course_run_key: COURSE_RUN, transaction_id: randomUUID(), force_enrollment: true },
          { user_id: 8, course_run_key: 'course-v1:edX+Closed+2024', transaction_id: randomUUID() },
        ],
      },
    });
    expect(mixed.status).toBe(201);
    const answer = (await mixed.json()) as EnrollAnswer;
    expect(answer.successes).toHaveLength(1);
    expect(answer.failures).toEqual([
      { user_id: 8, course_run_key: 'course-v1:edX+Closed+2024', message: expect.any(String) },
    ]);
    expect([...lms.enrollments.values()].map((e) => e.forceEnrollment)).toEqual([true]);

    const refused = await call(ENROLL_PATH, { body: enrollBody(randomUUID(), 'course-v1:edX+Closed+2024') });
    expect(refused.status).toBe(409);
    expect(lms.enrollments.size).toBe(1);
  });
});

describe('stand-in LMS: cancel', () => {
  it('sets cancelledAt once, counts the calls, and answers 404 for an unknown fulfillment', async () => {
    const transactionId = randomUUID();
    const fulfillmentUuid =
      (await enroll(transactionId)).successes[0]?.enterprise_fulfillment_source_uuid ?? '';

    const first = await call(cancelPath(fulfillmentUuid), { method: 'POST' });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({});
    const cancelledAt = lms.enrollments.get(transactionId)?.cancelledAt;
    expect(cancelledAt).toEqual(expect.any(String));

    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await call(`${cancelPath(fulfillmentUuid)}/`, { method: 'POST' })).status).toBe(200);
    expect(lms.enrollments.get(transactionId)?.cancelledAt).toBe(cancelledAt);
    expect(lms.cancelCalls(fulfillmentUuid)).toBe(2);

    const unknown = await call(cancelPath(randomUUID()), { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: 'Not found.' });
    expect(lms.cancelCalls(fulfillmentUuid)).toBe(2);
  });
});

describe('stand-in LMS: unenrolled', () => {
  it('lists the unenrollments strictly after unenrolled_after, 400 without a valid one', async () => {
    const early = (await enroll(randomUUID())).successes[0]?.enterprise_fulfillment_source_uuid ?? '';
    const late = (await enroll(randomUUID())).successes[0]?.enterprise_fulfillment_source_uuid ?? '';
    const earlyItem = lms.unenrollLearner(early, new Date('2024-03-01T10:00:00Z'));
    lms.unenrollLearner(late, new Date('2024-03-02T10:00:00Z'));
    const lateItem = {
      uuid: randomUUID(),
      transaction_id: randomUUID(),
      enterprise_course_enrollment: {
        enterprise_customer_user: 9,
        course_id: COURSE_RUN,
        created: '2024-02-01T00:00:00.000Z',
        unenrolled_at: '2024-03-03T00:00:00.000Z',
      },
    };
    lms.addUnenrollment(lateItem);

    expect(earlyItem.enterprise_course_enrollment).toMatchObject({
      enterprise_customer_user: 7,
      course_id: COURSE_RUN,
    });
    expect(lms.byFulfillment(early)?.cancelledAt).toBe('2024-03-01T10:00:00.000Z');

    const all = await unenrolledAfter('2024-03-01T09:59:59Z');
    expect(all.status).toBe(200);
    expect(((await all.json()) as unknown[]).length).toBe(3);
    // Strictly after: an unenrollment at the very instant is not listed again.
    const afterFirst = await unenrolledAfter('2024-03-01T10:00:00Z');
    expect(((await afterFirst.json()) as { uuid: string }[]).map((item) => item.uuid)).toEqual([
      late,
      lateItem.uuid,
    ]);
    const withOffset = await unenrolledAfter('2024-03-02T12:00:00+02:00');
    expect(((await withOffset.json()) as unknown[]).length).toBe(1);

    expect((await call(UNENROLLED_PATH)).status).toBe(400);
    expect((await unenrolledAfter('yesterday')).status).toBe(400);
    // An unencoded "+02:00" arrives as " 02:00", which is no datetime.
    expect((await call(`${UNENROLLED_PATH}?unenrolled_after=2024-03-02T12:00:00+02:00`)).status).toBe(400);
  });
});

describe('stand-in LMS: switched behaviours', () => {
  it('status: answers it without enrolling, then behaves again', async () => {
    lms.next('enroll', { kind: 'status', status: 503 });
    lms.next('enroll', { kind: 'status', status: 400, body: { detail: 'nope' } });
    const failed = await call(ENROLL_PATH, { body: enrollBody(randomUUID()) });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ detail: 'stand-in failure' });
    const refused = await call(ENROLL_PATH, { body: enrollBody(randomUUID()) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ detail: 'nope' });
    expect(lms.enrollments.size).toBe(0);
    await enroll(randomUUID());
    expect(lms.enrollments.size).toBe(1);
  });

  it('status on the token route, times: the next requests fail in turn', async () => {
    lms.next('token', { kind: 'status', status: 500 }, 2);
    expect((await requestToken()).status).toBe(500);
    expect((await requestToken()).status).toBe(500);
    expect((await requestToken()).status).toBe(200);
    expect(lms.tokensIssued()).toBe(1);
  });

  it('hang: never answers and does not enroll', async () => {
    const jwt = await token();
    lms.next('enroll', { kind: 'hang' });
    const started = Date.now();
    await expect(
      call(ENROLL_PATH, { body: enrollBody(randomUUID()), jwt, signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/aborted|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(lms.enrollments.size).toBe(0);
    expect(lms.callsTo('enroll')).toHaveLength(1);
  });

  it('answer-lost: enrolls, then drops the connection; a retry gets the same fulfillment', async () => {
    const transactionId = randomUUID();
    lms.next('enroll', { kind: 'answer-lost' });
    await expect(call(ENROLL_PATH, { body: enrollBody(transactionId) })).rejects.toThrow();
    const enrollment = lms.enrollments.get(transactionId);
    expect(enrollment).toBeDefined();
    const retry = await enroll(transactionId);
    expect(retry.successes[0]).toMatchObject({
      created: false,
      enterprise_fulfillment_source_uuid: enrollment?.fulfillmentUuid,
    });
  });

  it('slow: waits, then enrolls', async () => {
    const jwt = await token();
    lms.next('enroll', { kind: 'slow', ms: 200 });
    const started = Date.now();
    const res = await call(ENROLL_PATH, { body: enrollBody(randomUUID()), jwt });
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(lms.enrollments.size).toBe(1);
  });

  it('malformed: answers success with a body that is not JSON, without cancelling', async () => {
    const transactionId = randomUUID();
    const fulfillmentUuid =
      (await enroll(transactionId)).successes[0]?.enterprise_fulfillment_source_uuid ?? '';
    lms.next('cancel', { kind: 'malformed' });
    const res = await call(cancelPath(fulfillmentUuid), { method: 'POST' });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
    expect(lms.enrollments.get(transactionId)?.cancelledAt).toBeNull();
  });

  it('wrong-shape: answers success with the given body, without enrolling', async () => {
    lms.next('enroll', { kind: 'wrong-shape', body: { successes: 'yes' } });
    const res = await call(ENROLL_PATH, { body: enrollBody(randomUUID()) });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ successes: 'yes' });
    expect(lms.enrollments.size).toBe(0);
  });

  it('delayMs: slows every call but the token request', async () => {
    const jwt = await token();
    lms.delayMs = 200;
    const tokenStarted = Date.now();
    await token();
    expect(Date.now() - tokenStarted).toBeLessThan(150);
    const started = Date.now();
    expect((await call(`${UNENROLLED_PATH}?unenrolled_after=2024-01-01T00:00:00Z`, { jwt })).status).toBe(
      200,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('stand-in LMS: the rest', () => {
  it('answers 404 to unknown paths, 405 to a known path with another method, and logs both', async () => {
    expect((await call('/api/enrollment/v1/enrollment', { jwt: null })).status).toBe(404);
    expect((await call(ENROLL_PATH.slice(0, -1), { body: enrollBody(randomUUID()) })).status).toBe(404);
    expect((await call(ENROLL_PATH, { method: 'GET' })).status).toBe(405);
    expect(lms.calls.map((c) => `${c.method} ${c.path}`)).toContain('GET /api/enrollment/v1/enrollment');
    expect(lms.callsTo('enroll')).toHaveLength(0);
  });

  it('close() resolves while a request hangs, and the hanging request fails', async () => {
    const jwt = await token();
    lms.next('enroll', { kind: 'hang' });
    const hanging = call(ENROLL_PATH, { body: enrollBody(randomUUID()), jwt });
    const outcome = hanging.then(
      () => 'answered',
      () => 'failed',
    );
    while (lms.callsTo('enroll').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await lms.close();
    expect(await outcome).toBe('failed');
  });
});
