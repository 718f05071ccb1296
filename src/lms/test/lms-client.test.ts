import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lmsConfigOf, type StandInLms, startStandInLms } from '../../../test/support/stand-in-lms.js';
import type { LmsConfig } from '../../config.js';
import { LmsClient } from '../lms-client.js';
import { LmsError } from '../lms-error.js';

const CUSTOMER = 'aaaaaaaa-0000-4000-8000-000000000001';
const TX = 'bbbbbbbb-0000-4000-8000-000000000001';

let lms: StandInLms;
let config: LmsConfig;

beforeEach(async () => {
  lms = await startStandInLms();
  config = lmsConfigOf(lms, 500);
});
afterEach(() => lms.close());

const ask = (transactionUuid = TX) => ({
  customerUuid: CUSTOMER,
  lmsUserId: 101,
  courseRunKey: 'course-v1:Org+C1+2026',
  transactionUuid,
  forceEnrollment: false,
});

/** The LmsError a call ends with (fails the test when the call succeeds). */
async function failure(call: Promise<unknown>): Promise<LmsError> {
  const outcome = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(LmsError);
  return outcome as LmsError;
}

describe('the LMS client', () => {
  it('enrolls with a client-credentials JWT, as enterprise-subsidy does, once per transaction', async () => {
    const client = new LmsClient(config);
    const first = await client.enroll({ ...ask(), forceEnrollment: true });
    const again = await client.enroll(ask());
    expect(again.fulfillmentUuid).toBe(first.fulfillmentUuid);
    expect(lms.enrollments.get(TX)).toMatchObject({
      fulfillmentUuid: first.fulfillmentUuid,
      customerUuid: CUSTOMER,
      userId: 101,
      courseRunKey: 'course-v1:Org+C1+2026',
      forceEnrollment: true,
    });
    const [token] = lms.callsTo('token');
    expect(token?.body).toMatchObject({ grant_type: 'client_credentials', token_type: 'jwt' });
    const enrolls = lms.callsTo('enroll');
    expect(enrolls.map((c) => c.authorization)).toEqual([
      expect.stringMatching(/^JWT \S+$/),
      enrolls[0]?.authorization,
    ]);
    expect(enrolls[0]?.body).toEqual({
      enrollments_info: [
        { user_id: 101, course_run_key: 'course-v1:Org+C1+2026', transaction_id: TX, force_enrollment: true },
      ],
    });
    // force_enrollment is sent only when late enrollment is allowed.
    expect(enrolls[1]?.body).toEqual({
      enrollments_info: [{ user_id: 101, course_run_key: 'course-v1:Org+C1+2026', transaction_id: TX }],
    });
    // One token for both calls: it is kept until shortly before it expires.
    expect(lms.tokensIssued()).toBe(1);
  });

  it('shares one token fetch among concurrent calls and renews it before it expires', async () => {
    let now = Date.now();
    const client = new LmsClient(config, () => now);
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => client.enroll(ask(`bbbbbbbb-0000-4000-8000-00000000000${i}`))),
    );
    expect(lms.tokensIssued()).toBe(1);
    // The stand-in's tokens live an hour; one minute before that the client asks for another.
    now += 3_540_000 + 1;
    await client.enroll(ask());
    expect(lms.tokensIssued()).toBe(2);
  });

  it('fetches a new token once when the LMS refuses the one it holds', async () => {
    const client = new LmsClient(config);
    await client.enroll(ask());
    lms.revokeTokens();
    await client.enroll(ask());
    expect(lms.tokensIssued()).toBe(2);
    // Refused again with the new token: an error, not a loop.
    lms.next('enroll', { kind: 'status', status: 401, body: { detail: 'Invalid token.' } }, 2);
    const err = await failure(client.enroll(ask()));
    expect(err).toMatchObject({ kind: 'refused', status: 401, mayHaveActed: false });
    expect(lms.tokensIssued()).toBe(3);
  });

  it('says the LMS did nothing when it refuses the credentials or cannot be reached', async () => {
    const wrong = await failure(new LmsClient({ ...config, clientSecret: 'wrong' }).enroll(ask()));
    expect(wrong).toMatchObject({ kind: 'refused', mayHaveActed: false });
    expect(wrong.message).toMatch(/BACKEND_SERVICE_EDX_OAUTH2_KEY/);
    const url = lms.url;
    await lms.close();
    const down = await failure(new LmsClient({ ...config, url, providerUrl: `${url}/oauth2` }).enroll(ask()));
    expect(down).toMatchObject({ kind: 'unavailable', mayHaveActed: false });
  });

  it('says a refusal is final and a 5xx, a timeout, a lost answer or a malformed one may have enrolled', async () => {
    const client = new LmsClient(config);
    lms.next('enroll', { kind: 'status', status: 400, body: { detail: 'bad' } });
    expect(await failure(client.enroll(ask()))).toMatchObject({
      kind: 'refused',
      status: 400,
      mayHaveActed: false,
    });
    lms.next('enroll', { kind: 'status', status: 503 });
    expect(await failure(client.enroll(ask()))).toMatchObject({ kind: 'unavailable', mayHaveActed: true });
    lms.next('enroll', { kind: 'hang' });
    const hung = await failure(client.enroll(ask()));
    expect(hung).toMatchObject({ kind: 'unavailable', mayHaveActed: true });
    expect(hung.message).toMatch(/timed out/);
    lms.next('enroll', { kind: 'malformed' });
    expect(await failure(client.enroll(ask()))).toMatchObject({ kind: 'bad-answer', mayHaveActed: true });
    lms.next('enroll', { kind: 'wrong-shape', body: { successes: [] } });
    expect(await failure(client.enroll(ask()))).toMatchObject({ kind: 'bad-answer', mayHaveActed: true });
    expect(lms.enrollments.size).toBe(0);
    // The answer lost after the LMS enrolled: asking again finds the same enrollment, not a second.
    lms.next('enroll', { kind: 'answer-lost' });
    expect(await failure(client.enroll(ask()))).toMatchObject({ mayHaveActed: true });
    const enrolled = lms.enrollments.get(TX);
    expect(enrolled).toBeDefined();
    expect((await client.enroll(ask())).fulfillmentUuid).toBe(enrolled?.fulfillmentUuid);
    expect(lms.enrollments.size).toBe(1);
  });

  it('cancels a fulfillment, and a repeat is done too', async () => {
    const client = new LmsClient(config);
    const { fulfillmentUuid } = await client.enroll(ask());
    await client.cancelFulfillment(fulfillmentUuid);
    await client.cancelFulfillment(fulfillmentUuid);
    expect(lms.byFulfillment(fulfillmentUuid)?.cancelledAt).not.toBeNull();
    expect(lms.cancelCalls(fulfillmentUuid)).toBe(2);
    const unknown = await failure(client.cancelFulfillment('cccccccc-0000-4000-8000-000000000001'));
    expect(unknown).toMatchObject({ kind: 'refused', status: 404 });
  });

  it('reads the unenrollments after a time', async () => {
    const client = new LmsClient(config);
    const { fulfillmentUuid } = await client.enroll(ask());
    lms.unenrollLearner(fulfillmentUuid, new Date('2026-06-10T00:00:00Z'));
    expect(await client.unenrolledAfter(new Date('2026-06-11T00:00:00Z'))).toEqual([]);
    const [item, ...rest] = await client.unenrolledAfter(new Date('2026-06-01T00:00:00Z'));
    expect(rest).toEqual([]);
    expect(item).toEqual({
      fulfillmentUuid,
      transactionUuid: TX,
      courseRunKey: 'course-v1:Org+C1+2026',
      enrolledAt: expect.any(Date),
      unenrolledAt: new Date('2026-06-10T00:00:00Z'),
    });
    expect(lms.callsTo('unenrolled')[1]?.query).toEqual({ unenrolled_after: '2026-06-01T00:00:00.000Z' });
    lms.next('unenrolled', { kind: 'wrong-shape', body: { results: [] } });
    expect(await failure(client.unenrolledAfter(new Date()))).toMatchObject({ kind: 'bad-answer' });
  });
});
