import type { AppContext } from '../../context.js';
import type { Executor } from '../../database.js';
import { BusinessRule, NotFound } from '../../shared/errors.js';
import type { Principal } from '../../shared/principal.js';
import { sendEmail } from '../notifications/index.js';
import { loadProgram } from './catalog-reads.js';
import * as credentials from './credentials.repository.js';
import { creditRequestEmail } from './credit-request-email.js';
import { creditRequestView } from './credit-requests.js';
import * as creditRequests from './credit-requests.repository.js';
import { ensureLearner, findLearner, isSelf, requireSelfOrAdmin } from './learners.js';
import * as learners from './learners.repository.js';
import * as pathways from './pathways.repository.js';
import { sharedRecordUrl } from './program-records.js';
import type { LearnerRow, SharedLinkRow } from './schema.js';
import * as sharedLinks from './shared-links.repository.js';

/**
 * The learner named by a share or send: the caller themself (created from the token if credentials
 * has not met them yet), or, for a credentials admin, a learner credentials knows.
 */
async function targetLearner(
  ctx: AppContext,
  trx: Executor,
  actor: Principal,
  username: string,
  now: Date,
): Promise<LearnerRow> {
  if (isSelf(actor, { username })) {
    return ensureLearner({ ids: ctx.ids, now }, trx, {
      username: actor.username,
      lmsUserId: actor.lmsUserId,
      email: actor.email,
      // The name a shared record shows: the public page has no email to tell whose it is.
      fullName: actor.fullName ?? null,
    });
  }
  const learner = await findLearner(trx, { username });
  if (!learner) throw new NotFound('No learner with this username.', 'learner_not_found');
  await learners.lock(trx, learner.uuid);
  return learner;
}

async function getOrCreateLink(
  ctx: AppContext,
  trx: Executor,
  learner: LearnerRow,
  programUuid: string,
  now: Date,
): Promise<{ link: SharedLinkRow; created: boolean }> {
  const inserted = await sharedLinks.insertOnce(trx, {
    uuid: ctx.ids.uuid(),
    learner_uuid: learner.uuid,
    program_uuid: programUuid,
    now,
  });
  if (inserted) return { link: inserted, created: true };
  return { link: (await sharedLinks.get(trx, learner.uuid, programUuid))!, created: false };
}

/** POST /records/programs/{uuid}/share: get-or-create the public link (201 the first time, then 200). */
export async function shareProgramRecord(
  ctx: AppContext,
  actor: Principal,
  input: { programUuid: string; username: string },
): Promise<{ url: string; created: boolean }> {
  requireSelfOrAdmin(actor, { username: input.username });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    const program = await loadProgram(ctx, trx, input.programUuid);
    if (!program) throw new NotFound('No program with this uuid.', 'program_not_found');
    const learner = await targetLearner(ctx, trx, actor, input.username, now);
    const { link, created } = await getOrCreateLink(ctx, trx, learner, program.uuid, now);
    // The link is handed to others: it is on the public origin, whatever Host the request named.
    return { url: sharedRecordUrl(ctx.config.publicUrl, link.uuid), created };
  });
}

/**
 * POST /records/programs/{uuid}/send: a credit request to a published credit pathway of the program.
 * Shares the record, records the request on the (learner, pathway, program) row (a legacy row
 * without a program is adopted when the record was already shared), counts it with its send, and
 * queues the email in the same transaction. Every request sends again; nothing is sent on its own.
 */
export async function sendProgramRecord(
  ctx: AppContext,
  actor: Principal,
  input: { programUuid: string; username: string; pathwayUuid: string },
) {
  requireSelfOrAdmin(actor, { username: input.username });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    const program = await loadProgram(ctx, trx, input.programUuid);
    if (!program) throw new NotFound('No program with this uuid.', 'program_not_found');
    const pathway = await pathways.getByUuid(trx, input.pathwayUuid);
    const linked = (await pathways.pathwaysOfProgram(trx, program.uuid)).some(
      (p) => p.uuid === input.pathwayUuid,
    );
    if (!pathway || !linked || pathway.status !== 'published' || pathway.pathway_type !== 'credit') {
      throw new NotFound('No published credit pathway with this id for this program.', 'pathway_not_found');
    }
    if (!pathway.email) {
      throw new BusinessRule(
        'pathway_without_email',
        'This pathway has no address to send credit requests to.',
      );
    }
    const learner = await targetLearner(ctx, trx, actor, input.username, now);
    const { link, created: linkCreated } = await getOrCreateLink(ctx, trx, learner, program.uuid, now);
    let request = await creditRequests.get(trx, learner.uuid, pathway.uuid, program.uuid);
    if (!request && !linkCreated) request = await creditRequests.get(trx, learner.uuid, pathway.uuid, null);
    request ??= await creditRequests.insert(trx, {
      uuid: ctx.ids.uuid(),
      learner_uuid: learner.uuid,
      pathway_uuid: pathway.uuid,
      program_uuid: program.uuid,
      now,
    });
    const held = await credentials.getProgramCredential(trx, learner.uuid, program.uuid);
    // The email's links come from CAMPUS_PUBLIC_URL: a request header must not aim them elsewhere.
    const recordUrl = sharedRecordUrl(ctx.config.publicUrl, link.uuid);
    const email = await sendEmail(ctx, trx, {
      to: pathway.email,
      replyTo: learner.email ?? (isSelf(actor, { username: input.username }) ? actor.email : null),
      template: creditRequestEmail,
      context: {
        learnerName: learner.full_name ?? learner.username,
        programTitle: program.title,
        pathwayName: pathway.name,
        completed: held?.status === 'awarded',
        recordUrl,
        csvUrl: `${recordUrl}csv`,
        platformName: ctx.config.platformName,
      },
    });
    const updated = await creditRequests.recordSend(trx, request.uuid, program.uuid, now);
    await creditRequests.insertSend(trx, {
      uuid: ctx.ids.uuid(),
      credit_request_uuid: updated.uuid,
      outbox_uuid: email.uuid,
      now,
    });
    return creditRequestView({ ...updated, username: learner.username, lms_user_id: learner.lms_user_id });
  });
}
