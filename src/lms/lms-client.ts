import { z } from 'zod';
import type { LmsConfig } from '../config.js';
import { AccessTokens } from './access-token.js';
import { LmsError } from './lms-error.js';

/** One learner credit enrollment asked of the LMS (edx-enterprise `enroll_learners_in_courses`). */
export interface EnrollmentAsk {
  customerUuid: string;
  lmsUserId: number;
  courseRunKey: string;
  /** The ledger transaction paying for it: the LMS enrolls once per transaction id, however often asked. */
  transactionUuid: string;
  /** Enroll even after the run's enrollment deadline (a policy's late-enrollment window). */
  forceEnrollment: boolean;
}

/** A learner credit enrollment the learner left in the LMS (items of the `unenrolled` operator list). */
export interface LmsUnenrollment {
  fulfillmentUuid: string;
  transactionUuid: string;
  courseRunKey: string;
  enrolledAt: Date;
  unenrolledAt: Date;
}

const enrollAnswer = z.object({
  successes: z.array(z.object({ enterprise_fulfillment_source_uuid: z.string().min(1) }).loose()),
});

const unenrolledAnswer = z.array(
  z
    .object({
      uuid: z.string().min(1),
      transaction_id: z.string().min(1),
      enterprise_course_enrollment: z
        .object({
          // The EnterpriseCustomerUser's id in edx-enterprise, not the learner's lms user id: unused.
          enterprise_customer_user: z.number().int(),
          course_id: z.string().min(1),
          created: z.iso.datetime({ offset: true }),
          unenrolled_at: z.iso.datetime({ offset: true }),
        })
        .loose(),
    })
    .loose(),
);

/**
 * Campus's calls to the Open edX LMS, as enterprise-subsidy makes them: each with a timeout,
 * authenticated with a client-credentials JWT (`Authorization: JWT …`, fetched again once when the
 * LMS refuses it). Every failure is an LmsError that says whether the LMS may have acted.
 */
export class LmsClient {
  private readonly tokens: AccessTokens;

  constructor(
    private readonly config: LmsConfig,
    now: () => number = Date.now,
  ) {
    this.tokens = new AccessTokens(config, now);
  }

  /** Enrolls the learner; the fulfillment uuid the LMS records it under (the transaction's `fulfillment_identifier`). */
  async enroll(ask: EnrollmentAsk): Promise<{ fulfillmentUuid: string }> {
    const body = await this.call(
      'POST',
      `/enterprise/api/v1/enterprise-customer/${ask.customerUuid}/enroll_learners_in_courses/`,
      {
        enrollments_info: [
          {
            user_id: ask.lmsUserId,
            course_run_key: ask.courseRunKey,
            transaction_id: ask.transactionUuid,
            ...(ask.forceEnrollment ? { force_enrollment: true } : {}),
          },
        ],
      },
    );
    const parsed = enrollAnswer.safeParse(body);
    // The reference accepts exactly one success carrying the fulfillment's uuid; anything else
    // leaves unknown what the LMS did (it may have enrolled the learner and said so badly).
    const [success, ...more] = parsed.success ? parsed.data.successes : [];
    if (!success || more.length > 0)
      throw new LmsError(
        'the LMS answered the enrollment without exactly one success carrying enterprise_fulfillment_source_uuid',
        'bad-answer',
        true,
      );
    return { fulfillmentUuid: success.enterprise_fulfillment_source_uuid };
  }

  /** Unenrolls (or downgrades) the learner of a fulfillment; the LMS treats a repeat as done. */
  async cancelFulfillment(fulfillmentUuid: string): Promise<void> {
    await this.call(
      'POST',
      `/enterprise/api/v1/enterprise-subsidy-fulfillment/${encodeURIComponent(fulfillmentUuid)}/cancel-fulfillment`,
      {},
    );
  }

  /** The learner credit enrollments learners left in the LMS after `after`. */
  async unenrolledAfter(after: Date): Promise<LmsUnenrollment[]> {
    const body = await this.call(
      'GET',
      `/enterprise/api/v1/operator/enterprise-subsidy-fulfillment/unenrolled/?${new URLSearchParams({
        unenrolled_after: after.toISOString(),
      })}`,
    );
    const parsed = unenrolledAnswer.safeParse(body);
    if (!parsed.success)
      throw new LmsError(
        'the LMS answered the unenrollment list in an unexpected shape',
        'bad-answer',
        false,
      );
    return parsed.data.map((item) => ({
      fulfillmentUuid: item.uuid,
      transactionUuid: item.transaction_id,
      courseRunKey: item.enterprise_course_enrollment.course_id,
      enrolledAt: new Date(item.enterprise_course_enrollment.created),
      unenrolledAt: new Date(item.enterprise_course_enrollment.unenrolled_at),
    }));
  }

  /** One call, its answer's JSON body; a refused token is fetched again once. */
  private async call(method: 'GET' | 'POST', path: string, json?: unknown): Promise<unknown> {
    const first = await this.tokens.get();
    const res = await this.send(method, path, first, json);
    if (res.status !== 401) return this.answer(res, method, path);
    this.tokens.forget(first);
    return this.answer(await this.send(method, path, await this.tokens.get(), json), method, path);
  }

  private async send(method: string, path: string, token: string, json: unknown): Promise<Response> {
    try {
      return await fetch(`${this.config.url}${path}`, {
        method,
        headers: {
          authorization: `JWT ${token}`,
          accept: 'application/json',
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (err) {
      throw new LmsError(
        `${method} ${path} reached no answer from the LMS: ${describe(err)}`,
        'unavailable',
        // A refused connection sent nothing; a timeout or a reset may have come after the LMS acted.
        !refusedConnection(err),
      );
    }
  }

  private async answer(res: Response, method: string, path: string): Promise<unknown> {
    const text = await res.text().catch(() => '');
    if (res.ok) {
      try {
        return text === '' ? null : JSON.parse(text);
      } catch {
        throw new LmsError(
          `${method} ${path}: the LMS answered ${res.status} with a body that is not JSON`,
          'bad-answer',
          true,
        );
      }
    }
    // 4xx (but a timeout or rate limit) is the LMS refusing: it did nothing. 5xx, 408 and 429 leave it unknown.
    const refused = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    throw new LmsError(
      `${method} ${path}: the LMS answered ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}`,
      refused ? 'refused' : 'unavailable',
      !refused,
      res.status,
    );
  }
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

function refusedConnection(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
