import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { expireAssignments, stateCountMismatches } from '../../assignments/index.js';
import { transactionCountMismatches, verifyLedgers } from '../../ledger/index.js';
import { redemptionBatchStats } from '../redeem.js';
import { accessWorld } from './fixtures.js';

const PRICE = 10_000;
const redeemCodes = new Set([
  'policy_spend_limit_reached',
  'learner_max_enrollments_reached',
  'not_enough_value_in_subsidy',
  'reason_learner_assignment_cancelled',
  'reason_learner_assignment_expired',
  // An assignment expired by the 90-day timeout has its email scrubbed: no longer the learner's.
  'reason_learner_not_assigned_content',
]);

/**
 * Group commit under fire: redemptions batched on two policies of one subsidy race an assigned
 * policy of the same subsidy (its redemptions, allocations, a cancel and an expiry sweep) and
 * operator reversals of earlier redemptions. Every limit holds, every call leaves one attempt
 * row, the ledger verifies, and batches really formed (the batched path is what ran).
 */
describePg('batched redemptions racing allocation, cancel, expiry and reversal', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof accessWorld>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 40 });
    t = await testApp({ db: pg.db });
    as = await personas(t);
    w = await accessWorld(t, as.staff);
  });
  afterAll(async () => {
    await t.app.close();
    await pg.drop();
  });

  const learner = (id: number, email?: string) =>
    t.token({ userId: id, email, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
  const redeem = (policyUuid: string, token: string, contentKey: string) =>
    t.request({
      method: 'POST',
      url: `/access/api/v1/policy-redemption/${policyUuid}/redeem/`,
      payload: { content_key: contentKey },
      as: token,
    });

  it('holds every limit and leaves the ledger exact', async () => {
    // $3,000 in the subsidy; demand is far more.
    const deposit = await t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/deposits/`,
      payload: {
        desired_deposit_quantity: 200_000,
        sales_contract_reference_id: 'group-commit',
        sales_contract_reference_provider: 'salesforce_opportunity_line_item',
      },
      as: as.operator,
    });
    expect(deposit.statusCode).toBe(201);
    const capped = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { spend_limit: 15 * PRICE });
    const onePerLearner = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', {
      per_learner_enrollment_limit: 1,
    });
    const secondRun = await w.extraRun();

    // The assigned policy of the same subsidy: $500, five learners allocated $100 each.
    const config = await t.request({
      method: 'POST',
      url: '/access/api/v1/assignment-configurations/',
      payload: { enterprise_customer_uuid: ENTERPRISE_A },
      as: as.staff,
    });
    const assigned = await w.policy('AssignedLearnerCreditAccessPolicy', {
      spend_limit: 5 * PRICE,
      assignment_configuration_uuid: config.json().uuid,
    });
    const assignees = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const email = `assignee${i}@example.com`;
        const token = await learner(70_000 + i, email);
        await t.request({ method: 'GET', url: '/api/v1/me/', as: token });
        return { email, token };
      }),
    );
    const allocate = (emails: string[]) =>
      t.request({
        method: 'POST',
        url: `/access/api/v1/policy-allocation/${assigned.uuid}/allocate/`,
        payload: { learner_emails: emails, content_key: w.run.key, content_price_cents: PRICE },
        as: as.adminA,
      });
    expect((await allocate(assignees.map((a) => a.email))).statusCode).toBe(202);
    const assignments = await t.db.kysely
      .selectFrom('learner_content_assignments')
      .select(['uuid', 'learner_email'])
      .where('assignment_configuration_uuid', '=', config.json().uuid)
      .orderBy('learner_email')
      .execute();
    // Two allocated long ago: the expiry sweep takes them unless their learners redeem first.
    await t.db.kysely
      .updateTable('learner_content_assignments')
      .set({ allocated_at: new Date(t.clock.now().getTime() - 100 * 86_400_000) })
      .where('uuid', 'in', [assignments[3]?.uuid ?? '', assignments[4]?.uuid ?? ''])
      .execute();

    // Five earlier redemptions through the capped policy, reversed by an operator during the race
    // while their learners redeem the run again.
    const returning = await Promise.all(Array.from({ length: 5 }, (_, i) => learner(50_000 + i)));
    const earlier = [];
    for (const token of returning) {
      const r = await redeem(capped.uuid, token, w.run.key);
      expect(r.statusCode).toBe(201);
      earlier.push(r.json().uuid as string);
    }

    const newcomers = await Promise.all(Array.from({ length: 40 }, (_, i) => learner(60_000 + i)));
    const singles = await Promise.all(Array.from({ length: 30 }, (_, i) => learner(80_000 + i)));
    const before = Number(
      (
        await t.db.kysely
          .selectFrom('redemption_attempts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

    const [cappedCalls, singleCalls, assignedCalls, reversals, cancel, expiry, allocations] =
      await Promise.all([
        Promise.all([...newcomers, ...returning].map((token) => redeem(capped.uuid, token, w.run.key))),
        // Each learner of the one-per-learner policy asks for two runs, and one of them twice.
        Promise.all(
          singles.flatMap((token) => [
            redeem(onePerLearner.uuid, token, w.run.key),
            redeem(onePerLearner.uuid, token, secondRun.key),
            redeem(onePerLearner.uuid, token, w.run.key),
          ]),
        ),
        Promise.all(assignees.map((a) => redeem(assigned.uuid, a.token, w.run.key))),
        Promise.all(
          earlier.map((uuid) =>
            t.request({
              method: 'POST',
              url: `/subsidy/api/v2/transactions/${uuid}/reverse/`,
              payload: { reason: 'race' },
              as: as.operator,
            }),
          ),
        ),
        t.request({
          method: 'POST',
          url: `/access/api/v1/assignment-configurations/${config.json().uuid}/admin/assignments/cancel/`,
          payload: { assignment_uuids: [assignments[2]?.uuid] },
          as: as.adminA,
        }),
        expireAssignments(t.app.campus),
        Promise.all(Array.from({ length: 3 }, (_, i) => allocate([`late${i}@example.com`]))),
      ]);

    // Every call answered as documented.
    const redeems = [...cappedCalls, ...singleCalls, ...assignedCalls];
    for (const r of redeems) {
      if (r.statusCode === 200 || r.statusCode === 201) continue;
      expect(r.statusCode, r.body).toBe(422);
      expect(redeemCodes, r.body).toContain(r.json().error_code);
    }
    expect(reversals.map((r) => r.statusCode)).toEqual(Array(5).fill(200));
    expect(cancel.statusCode).toBe(200);
    expect(expiry).toMatchObject({ expired: expect.any(Number) });
    for (const a of allocations) expect([202, 422]).toContain(a.statusCode);

    // Batches formed: the batched path is what ran, and no batch fell back.
    const stats = redemptionBatchStats(t.app.campus);
    expect(stats.largest).toBeGreaterThan(1);
    expect(stats.failed).toBe(0);

    // No limit overspent.
    const live = await t.db.kysely
      .selectFrom('ledger_transactions as tx')
      .leftJoin('ledger_reversals as rv', 'rv.transaction_uuid', 'tx.uuid')
      .where('tx.kind', '=', 'spend')
      .where('tx.state', '=', 'committed')
      .where('rv.uuid', 'is', null)
      .select([
        'tx.subsidy_access_policy_uuid as policy',
        'tx.lms_user_id as learner',
        'tx.content_key',
        'tx.quantity',
      ])
      .execute();
    const spentBy = (policy: string) =>
      live.filter((x) => x.policy === policy).reduce((sum, x) => sum - x.quantity, 0);
    expect(spentBy(capped.uuid)).toBeLessThanOrEqual(15 * PRICE);
    const perLearner = new Map<number, number>();
    for (const x of live.filter((x) => x.policy === onePerLearner.uuid)) {
      perLearner.set(Number(x.learner), (perLearner.get(Number(x.learner)) ?? 0) + 1);
    }
    expect([...perLearner.values()].every((n) => n === 1)).toBe(true);
    const pairs = live.map((x) => `${x.policy}:${x.learner}:${x.content_key}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const allocated = await t.db.kysely
      .selectFrom('learner_content_assignments')
      .select(['state', 'content_quantity', 'transaction_uuid'])
      .where('assignment_configuration_uuid', '=', config.json().uuid)
      .execute();
    const stillAllocated = allocated
      .filter((a) => a.state === 'allocated')
      .reduce((s, a) => s - a.content_quantity, 0);
    expect(spentBy(assigned.uuid) + stillAllocated).toBeLessThanOrEqual(5 * PRICE);
    for (const a of allocated) expect(a.state === 'accepted').toBe(a.transaction_uuid !== null);
    const ledger = await t.db.kysely
      .selectFrom('ledgers')
      .innerJoin('subsidies', 'subsidies.ledger_uuid', 'ledgers.uuid')
      .select('ledgers.balance_cents')
      .where('subsidies.uuid', '=', w.subsidy.uuid)
      .executeTakeFirstOrThrow();
    expect(ledger.balance_cents).toBeGreaterThanOrEqual(0);
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    // The admin lists' counts, kept as appended change rows by every batch, reversal, allocation,
    // cancel and expiry above, agree with the rows; and with the list, read twice (the first read
    // folds the change rows).
    const committed = await t.db.kysely
      .selectFrom('ledger_transactions')
      .innerJoin('subsidies', 'subsidies.ledger_uuid', 'ledger_transactions.ledger_uuid')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('subsidies.uuid', '=', w.subsidy.uuid)
      .where('ledger_transactions.kind', '=', 'spend')
      .where('ledger_transactions.state', '=', 'committed')
      .executeTakeFirstOrThrow();
    for (let read = 0; read < 2; read++) {
      const page = await t.request({
        method: 'GET',
        url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/transactions/?state=committed`,
        as: as.operator,
      });
      expect(page.json().count).toBe(Number(committed.n));
    }
    expect(await transactionCountMismatches(t.db.kysely)).toEqual([]);
    expect(await stateCountMismatches(t.db.kysely)).toEqual([]);

    // One attempt row per call, and a redeemed row for each 201.
    const attempts = await t.db.kysely
      .selectFrom('redemption_attempts')
      .select(['outcome'])
      .orderBy('created')
      .execute();
    expect(attempts.length - before).toBe(redeems.length);
    const redeemedRows = attempts.filter((a) => a.outcome === 'redeemed').length;
    expect(redeemedRows - earlier.length).toBe(redeems.filter((r) => r.statusCode === 201).length);
  });
});
