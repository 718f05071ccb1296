/**
 * The mixed money load of the crash-recovery test: redeems by many learners (through a policy and
 * through the operator API), allocations and the redemption of what was allocated, reversals and
 * refunds (unenroll), deposits into a policy and into the subsidy, and browse & request: learners
 * ask for credit, admins approve (which allocates and mails), decline or cancel, and approved
 * learners redeem. Every operation is a request that can be sent again unchanged — with its
 * idempotency key where the API has one, otherwise with the natural key the API is idempotent on
 * (learner + content, email + content, enrollment, request) — and every attempt is recorded, so
 * that the test can retry what got no answer and then count what the database holds for each
 * operation.
 */
import type { TokenClaims } from '../../src/http/auth.js';
import type { CampusProcess, HttpAnswer, HttpCall } from '../support/campus-process.js';
import type { LiveWorld } from '../support/live-world.js';
import type { SeededRandom } from '../support/seeded-random.js';

export const OP_KINDS = [
  'redeem',
  'admin-redeem',
  'allocate',
  'assigned-redeem',
  'reverse',
  'unenroll',
  'policy-deposit',
  'subsidy-deposit',
  'request',
  'approve',
  'request-redeem',
  'decline',
  'cancel',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

export type Phase = 'load' | 'retry' | 'repeat';

export interface Attempt {
  phase: Phase;
  cycle: number;
  answer?: HttpAnswer;
  /** Why no answer came (the process was killed, the connection refused or reset). */
  error?: string;
}

export interface Learner {
  lmsUserId: number;
  email: string;
  token: string;
}

export interface Op {
  id: number;
  kind: OpKind;
  call: HttpCall;
  learner?: Learner;
  contentKey?: string;
  /** The idempotency key sent (deposits, operator redeems and reversals). */
  idempotencyKey?: string;
  /** The redemption a reversal or an unenrollment acts on. */
  transaction?: string;
  enrollment?: string;
  /** Cents, for deposits. */
  amount?: number;
  /** The learner credit request an approve, a decline or a cancel acts on. */
  request?: string;
  attempts: Attempt[];
}

/** The uuid of what an answer created or found: a transaction, an assignment, a reversal, a deposit. */
export function resultId(op: Op, answer: HttpAnswer): string | null {
  const body = answer.body as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') return null;
  switch (op.kind) {
    case 'redeem':
    case 'admin-redeem':
    case 'assigned-redeem':
    case 'request-redeem':
    case 'subsidy-deposit':
      return typeof body.uuid === 'string' ? body.uuid : null;
    case 'request':
    case 'decline':
    case 'cancel':
      return answer.status < 300 && typeof body.uuid === 'string' ? body.uuid : null;
    case 'approve': {
      const approved = body.approved as Array<{ assignment?: string | null }> | undefined;
      return answer.status === 200 ? (approved?.[0]?.assignment ?? null) : null;
    }
    case 'allocate': {
      const all = ['created', 'updated', 'no_change'].flatMap(
        (k) => (body[k] as Array<{ uuid: string }> | undefined) ?? [],
      );
      return all[0]?.uuid ?? null;
    }
    case 'reverse':
      return ((body.reversal as { uuid?: string } | null)?.uuid as string | undefined) ?? null;
    case 'unenroll':
      return typeof body.reversal_uuid === 'string' ? body.reversal_uuid : null;
    case 'policy-deposit':
      return ((body.deposit as { uuid?: string } | undefined)?.uuid as string | undefined) ?? null;
  }
}

/**
 * What an answer to a browse & request review (or to a request) says: `made` the change now,
 * found it `done` already (the answer to a resend after a lost answer), or `refused` it for a
 * reason of the policy's (its spend limit is reached); null for anything else.
 */
export type Verdict = 'made' | 'done' | 'refused';

export function verdict(op: Op, answer: HttpAnswer): Verdict | null {
  const { status } = answer;
  const body = answer.body as Record<string, unknown> | null;
  const code = body?.error_code;
  switch (op.kind) {
    case 'request':
      if (status === 201 && body?.state === 'requested' && typeof body.uuid === 'string') return 'made';
      return status === 422 && code === 'duplicate_request' ? 'done' : null;
    case 'approve': {
      const approved = (body?.approved as Array<Record<string, unknown>> | undefined) ?? [];
      const failed = (body?.failed as Array<{ uuid?: string; reason?: string }> | undefined) ?? [];
      if (status === 200) {
        const [one] = approved;
        const made =
          approved.length === 1 &&
          failed.length === 0 &&
          one?.uuid === op.request &&
          one?.state === 'approved' &&
          typeof one?.assignment === 'string';
        return made ? 'made' : null;
      }
      if (status !== 422) return null;
      if (code === 'partial_approval') {
        const done =
          approved.length === 0 &&
          failed.length === 1 &&
          failed[0]?.uuid === op.request &&
          failed[0]?.reason === 'request_not_approvable';
        return done ? 'done' : null;
      }
      return code === 'policy_spend_limit_reached' ? 'refused' : null;
    }
    case 'decline':
      if (status === 200) return body?.uuid === op.request && body?.state === 'declined' ? 'made' : null;
      return status === 400 && code === 'request_not_declinable' ? 'done' : null;
    case 'cancel':
      if (status === 200) return body?.uuid === op.request && body?.state === 'cancelled' ? 'made' : null;
      return status === 422 && code === 'request_not_cancelable' ? 'done' : null;
    default:
      return null;
  }
}

/** Whether the answer to a resend shows that the operation had taken effect before the kill. */
export function foundDone(op: Op, answer: HttpAnswer | undefined): boolean {
  if (!answer) return false;
  switch (op.kind) {
    case 'request':
    case 'approve':
    case 'decline':
    case 'cancel':
      return verdict(op, answer) === 'done';
    case 'allocate':
      return ((answer.body as { no_change?: unknown[] } | null)?.no_change?.length ?? 0) > 0;
    default:
      return answer.status === 200;
  }
}

/**
 * Whether `answer` is a success for `op`; in the repeat phase, the "already done" success. A
 * review (approve, decline, cancel) or a request is made at most once: once an answer has made it
 * or found it done, every later answer must find it done.
 */
function expected(op: Op, answer: HttpAnswer, phase: Phase, earlier: HttpAnswer[]): boolean {
  const { status } = answer;
  const body = answer.body as Record<string, unknown> | null;
  switch (op.kind) {
    case 'request':
    case 'approve':
    case 'decline':
    case 'cancel': {
      const v = verdict(op, answer);
      if (!v) return false;
      const settled = earlier.some((a) => {
        const before = verdict(op, a);
        return before === 'made' || before === 'done';
      });
      if (settled) return v === 'done';
      // Not made yet: a first send cannot find it done, nor a resend after a refusal.
      return phase === 'retry' || v !== 'done';
    }
    case 'redeem':
    case 'admin-redeem':
    case 'assigned-redeem':
    case 'request-redeem':
    case 'policy-deposit':
    case 'subsidy-deposit':
      return phase === 'repeat' ? status === 200 : status === 201 || (phase === 'retry' && status === 200);
    case 'allocate': {
      if (status !== 202) return false;
      const created = (body?.created as unknown[] | undefined)?.length ?? 0;
      const same = (body?.no_change as unknown[] | undefined)?.length ?? 0;
      return phase === 'load' ? created === 1 : created + same === 1 && (phase === 'retry' || same === 1);
    }
    case 'reverse':
      return status === 200 && (body?.reversal ?? null) !== null;
    case 'unenroll':
      return status === 200 && body?.refunded === true;
  }
}

export interface LoadOptions {
  world: LiveWorld;
  rng: SeededRandom;
  token: (claims: Partial<TokenClaims> & { userId: number }) => Promise<string>;
}

/** How often each kind of operation is chosen (when its preconditions hold). */
const WEIGHTS: Record<OpKind, number> = {
  redeem: 30,
  'admin-redeem': 8,
  allocate: 16,
  'assigned-redeem': 16,
  reverse: 7,
  unenroll: 7,
  'policy-deposit': 8,
  'subsidy-deposit': 8,
  // Browse & request: a learner asks for credit; an admin approves (allocates and mails), declines
  // or cancels it; an approved learner redeems. Resends carry the same request uuid.
  request: 14,
  approve: 10,
  'request-redeem': 6,
  decline: 3,
  cancel: 3,
};

export class MixedLoad {
  readonly ops: Op[] = [];
  readonly problems: string[] = [];
  private learnerSeq = 0;
  private opSeq = 0;
  /** Answered direct redeems nobody has reversed or unenrolled yet. */
  private redeemed: Array<{ learner: Learner; transaction: string; enrollment: string }> = [];
  /** Answered allocations whose learner has not redeemed yet. */
  private allocated: Array<{ learner: Learner; contentKey: string }> = [];
  /** Answered learner credit requests nobody has reviewed yet. */
  private requested: Array<{ learner: Learner; request: string }> = [];
  /** Answered approvals whose learner has not redeemed and nobody has cancelled yet. */
  private approved: Array<{ learner: Learner; request: string }> = [];

  constructor(private readonly options: LoadOptions) {}

  private async learner(base: number): Promise<Learner> {
    const n = ++this.learnerSeq;
    const lmsUserId = base + n;
    const email = `learner${lmsUserId}@example.com`;
    const token = await this.options.token({
      userId: lmsUserId,
      email,
      roles: [`enterprise_learner:${this.options.world.enterprise}`],
    });
    return { lmsUserId, email, token };
  }

  /** A new operation, chosen at random among those whose preconditions hold. */
  async next(): Promise<Op> {
    const { world, rng } = this.options;
    const weights = { ...WEIGHTS };
    if (this.redeemed.length === 0) weights.reverse = weights.unenroll = 0;
    if (this.allocated.length === 0) weights['assigned-redeem'] = 0;
    if (this.requested.length === 0) weights.approve = weights.decline = 0;
    if (this.approved.length === 0) weights['request-redeem'] = weights.cancel = 0;
    const kind = rng.weighted(weights);
    // Taken before any await: clients ask for operations concurrently.
    const id = ++this.opSeq;
    const run = rng.pick(world.runKeys);
    let op: Op;
    switch (kind) {
      case 'redeem': {
        const learner = await this.learner(100_000);
        op = {
          id,
          kind,
          learner,
          contentKey: run,
          call: {
            method: 'POST',
            path: `/access/api/v1/policy-redemption/${world.direct.uuid}/redeem/`,
            as: learner.token,
            body: { content_key: run },
          },
          attempts: [],
        };
        break;
      }
      case 'admin-redeem': {
        const learner = await this.learner(200_000);
        const idempotencyKey = `crash-admin-redeem-${id}`;
        op = {
          id,
          kind,
          learner,
          contentKey: run,
          idempotencyKey,
          call: {
            method: 'POST',
            path: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/transactions/`,
            as: world.operator,
            body: {
              lms_user_id: learner.lmsUserId,
              content_key: run,
              subsidy_access_policy_uuid: world.direct.uuid,
              idempotency_key: idempotencyKey,
            },
          },
          attempts: [],
        };
        break;
      }
      case 'allocate': {
        const learner = await this.learner(300_000);
        op = {
          id,
          kind,
          learner,
          contentKey: run,
          call: {
            method: 'POST',
            path: `/access/api/v1/policy-allocation/${world.assigned.uuid}/allocate/`,
            as: world.admin,
            body: { learner_emails: [learner.email], content_key: run, content_price_cents: 10_000 },
          },
          attempts: [],
        };
        break;
      }
      case 'assigned-redeem': {
        const i = rng.int(0, this.allocated.length - 1);
        const [target] = this.allocated.splice(i, 1);
        if (!target) throw new Error('no allocation to redeem');
        op = {
          id,
          kind,
          learner: target.learner,
          contentKey: target.contentKey,
          call: {
            method: 'POST',
            path: `/access/api/v1/policy-redemption/${world.assigned.uuid}/redeem/`,
            as: target.learner.token,
            body: { content_key: target.contentKey },
          },
          attempts: [],
        };
        break;
      }
      case 'reverse':
      case 'unenroll': {
        const i = rng.int(0, this.redeemed.length - 1);
        const [target] = this.redeemed.splice(i, 1);
        if (!target) throw new Error('no redemption to reverse');
        const idempotencyKey = kind === 'reverse' ? `crash-reverse-${target.transaction}` : undefined;
        op = {
          id,
          kind,
          learner: target.learner,
          transaction: target.transaction,
          enrollment: target.enrollment,
          idempotencyKey,
          call:
            kind === 'reverse'
              ? {
                  method: 'POST',
                  path: `/subsidy/api/v2/transactions/${target.transaction}/reverse/`,
                  as: world.operator,
                  body: { idempotency_key: idempotencyKey, reason: 'crash-recovery test' },
                }
              : {
                  method: 'POST',
                  path: `/enterprise/api/v1/enrollments/${target.enrollment}/unenroll/`,
                  as: target.learner.token,
                },
          attempts: [],
        };
        break;
      }
      case 'request': {
        const learner = await this.learner(400_000);
        op = {
          id,
          kind,
          learner,
          contentKey: world.courseKey,
          call: {
            method: 'POST',
            path: '/access/api/v1/learner-credit-requests/',
            as: learner.token,
            body: {
              policy_uuid: world.bnr.uuid,
              course_id: world.courseKey,
              course_price: 10_000,
              enterprise_customer_uuid: world.enterprise,
            },
          },
          attempts: [],
        };
        break;
      }
      case 'approve':
      case 'decline': {
        // No await before the splice: another client must not take the same request.
        const [target] = this.requested.splice(rng.int(0, this.requested.length - 1), 1);
        if (!target) throw new Error(`no request to ${kind}`);
        op = {
          id,
          kind,
          learner: target.learner,
          request: target.request,
          call:
            kind === 'approve'
              ? {
                  method: 'POST',
                  path: '/access/api/v1/learner-credit-requests/approve/',
                  as: world.admin,
                  body: { learner_credit_request_uuids: [target.request], policy_uuid: world.bnr.uuid },
                }
              : {
                  method: 'POST',
                  path: '/access/api/v1/learner-credit-requests/decline/',
                  as: world.admin,
                  body: {
                    subsidy_request_uuid: target.request,
                    decline_reason: 'crash-recovery test',
                    send_notification: true,
                    disassociate_from_org: false,
                  },
                },
          attempts: [],
        };
        break;
      }
      case 'request-redeem':
      case 'cancel': {
        const [target] = this.approved.splice(rng.int(0, this.approved.length - 1), 1);
        if (!target) throw new Error(`no approved request to ${kind}`);
        op = {
          id,
          kind,
          learner: target.learner,
          request: target.request,
          call:
            kind === 'request-redeem'
              ? {
                  method: 'POST',
                  path: `/access/api/v1/policy-redemption/${world.bnr.uuid}/redeem/`,
                  as: target.learner.token,
                  body: { content_key: run },
                }
              : {
                  method: 'POST',
                  path: '/access/api/v1/learner-credit-requests/cancel/',
                  as: world.admin,
                  body: { request_uuid: target.request },
                },
          attempts: [],
        };
        if (kind === 'request-redeem') op.contentKey = run;
        break;
      }
      case 'policy-deposit':
      case 'subsidy-deposit': {
        const amount = rng.int(1, 50) * 1_000;
        const idempotencyKey = `crash-${kind}-${id}`;
        op = {
          id,
          kind,
          amount,
          idempotencyKey,
          call:
            kind === 'policy-deposit'
              ? {
                  method: 'POST',
                  path: `/access/api/v1/subsidy-access-policies/${world.direct.uuid}/deposit-funds/`,
                  as: world.operator,
                  body: {
                    desired_deposit_quantity_cents: amount,
                    sales_contract_reference_id: `crash-${id}`,
                    idempotency_key: idempotencyKey,
                  },
                }
              : {
                  method: 'POST',
                  path: `/subsidy/api/v2/subsidies/${world.subsidy.uuid}/admin/deposits/`,
                  as: world.operator,
                  body: {
                    desired_deposit_quantity: amount,
                    sales_contract_reference_id: `crash-${id}`,
                    sales_contract_reference_provider: 'salesforce_opportunity_line_item',
                    idempotency_key: idempotencyKey,
                  },
                },
          attempts: [],
        };
        break;
      }
    }
    this.ops.push(op);
    return op;
  }

  /** Sends `op` once to `server` and records the attempt; an unexpected answer is a problem. */
  async send(op: Op, server: CampusProcess, phase: Phase, cycle: number): Promise<Attempt> {
    const attempt: Attempt = { phase, cycle };
    try {
      attempt.answer = await server.request({ ...op.call, timeoutMs: 30_000 });
    } catch (err) {
      attempt.error = (err as Error).message;
    }
    op.attempts.push(attempt);
    if (!attempt.answer) return attempt;
    const earlier = op.attempts.slice(0, -1).flatMap((a) => (a.answer ? [a.answer] : []));
    if (!expected(op, attempt.answer, phase, earlier)) {
      this.problems.push(
        `op ${op.id} ${op.kind} (${phase}, cycle ${cycle}): ${attempt.answer.status} ${JSON.stringify(attempt.answer.body).slice(0, 600)}`,
      );
      return attempt;
    }
    // Only what got an answer can be acted on next, as a client would.
    if (phase === 'load') this.follow(op, attempt.answer);
    return attempt;
  }

  private follow(op: Op, answer: HttpAnswer): void {
    const body = answer.body as { uuid?: string; fulfillment_identifier?: string | null };
    if (op.kind === 'redeem' && op.learner && body.uuid && body.fulfillment_identifier) {
      this.redeemed.push({
        learner: op.learner,
        transaction: body.uuid,
        enrollment: body.fulfillment_identifier,
      });
    }
    if (op.kind === 'allocate' && op.learner && op.contentKey) {
      this.allocated.push({ learner: op.learner, contentKey: op.contentKey });
    }
    if (op.kind === 'request' && op.learner && body.uuid) {
      this.requested.push({ learner: op.learner, request: body.uuid });
    }
    // A request refused for the policy's limit stays requested, and nobody acts on it again.
    if (op.kind === 'approve' && op.learner && op.request && verdict(op, answer) === 'made') {
      this.approved.push({ learner: op.learner, request: op.request });
    }
  }

  /** Operations no attempt of which got an answer. */
  unanswered(): Op[] {
    return this.ops.filter((op) => !op.attempts.some((a) => a.answer));
  }

  answers(op: Op): HttpAnswer[] {
    return op.attempts.flatMap((a) => (a.answer ? [a.answer] : []));
  }
}
