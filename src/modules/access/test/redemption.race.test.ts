import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENTERPRISE_A, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { catalogClient } from '../../../../test/support/catalog.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { findFreePort } from '../../../../test/support/postgres-cluster.js';
import { signDevToken } from '../../../http/auth.js';
import { verifyLedgers } from '../../ledger/index.js';
import { accessWorld } from './fixtures.js';

describePg('redemptions racing on one policy', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  let w: Awaited<ReturnType<typeof accessWorld>>;

  beforeAll(async () => {
    pg = await createPgDatabase({ poolSize: 60 });
    t = await testApp({ db: pg.db });
    as = await personas(t);
    w = await accessWorld(t, as.staff);
    // Plenty in the subsidy: the policy's own limits are what the races test.
    const deposit = await t.request({
      method: 'POST',
      url: `/subsidy/api/v2/subsidies/${w.subsidy.uuid}/admin/deposits/`,
      payload: {
        desired_deposit_quantity: 10_000_000,
        sales_contract_reference_id: 'race',
        sales_contract_reference_provider: 'salesforce_opportunity_line_item',
      },
      as: as.operator,
    });
    expect(deposit.statusCode).toBe(201);
  });
  afterAll(async () => {
    expect((await verifyLedgers(t.db.kysely)).filter((c) => !c.ok)).toEqual([]);
    await t.app.close();
    await pg.drop();
  });

  const learnerToken = (id: number) => t.token({ userId: id, roles: [`enterprise_learner:${ENTERPRISE_A}`] });
  const deactivateAll = () =>
    t.db.kysely.updateTable('subsidy_access_policies').set({ active: false }).execute();

  it('lets exactly 10 of 100 learners redeem $100 against a $1,000 policy limit', async () => {
    await deactivateAll();
    const p = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { spend_limit: 100_000 });
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => learnerToken(10_000 + i)));
    const results = await Promise.all(
      tokens.map((token) =>
        t.request({
          method: 'POST',
          url: `/access/api/v1/policy-redemption/${p.uuid}/redeem/`,
          payload: { content_key: w.run.key },
          as: token,
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(new Set(refused.map((r) => r.json().error_code))).toEqual(new Set(['policy_spend_limit_reached']));
  });

  it('holds one learner to a cap of 3 enrollments when they race 20 different courses', async () => {
    await deactivateAll();
    const p = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { per_learner_enrollment_limit: 3 });
    const runs = [];
    for (let i = 0; i < 20; i++) runs.push(await w.extraRun());
    const token = await learnerToken(20_000);
    const results = await Promise.all(
      runs.map((run) =>
        t.request({
          method: 'POST',
          url: `/access/api/v1/policy-redemption/${p.uuid}/redeem/`,
          payload: { content_key: run.key },
          as: token,
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(new Set(results.filter((r) => r.statusCode !== 201).map((r) => r.json().error_code))).toEqual(
      new Set(['learner_max_enrollments_reached']),
    );
  });

  it('makes one transaction and one enrollment of the same redeem sent 20 times at once', async () => {
    await deactivateAll();
    const p = await w.policy('PerLearnerEnrollmentCreditAccessPolicy');
    const token = await learnerToken(30_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.request({
          method: 'POST',
          url: `/access/api/v1/policy-redemption/${p.uuid}/redeem/`,
          payload: { content_key: w.run.key },
          as: token,
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([...Array(19).fill(200), 201].sort());
    expect(new Set(results.map((r) => r.json().uuid)).size).toBe(1);
    const enrollments = await t.db.kysely
      .selectFrom('enrollments')
      .select('uuid')
      .where('lms_user_id', '=', 30_000)
      .execute();
    expect(enrollments).toHaveLength(1);
  });

  it('holds the policy limit when the race is split over two Campus processes sharing the database', async () => {
    await deactivateAll();
    const p = await w.policy('PerLearnerEnrollmentCreditAccessPolicy', { spend_limit: 100_000 });
    // The servers run on the real clock: give them a subsidy and a run that are open today.
    const day = 86_400_000;
    const today = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const patched = await t.request({
      method: 'PATCH',
      url: `/subsidy/api/v1/subsidies/${w.subsidy.uuid}/`,
      payload: { active_datetime: iso(today - 365 * day), expiration_datetime: iso(today + 365 * day) },
      as: as.operator,
    });
    expect(patched.statusCode).toBe(200);
    const run = await catalogClient(t, as.staff ?? '').run(w.course.key, 'verified-audit', {
      start: iso(today - 5 * day),
      end: iso(today + 120 * day),
      enrollment_start: iso(today - 30 * day),
      enrollment_end: iso(today + 60 * day),
      prices: { verified: '100.00' },
    });
    const secret = 'race-test-secret-with-some-length';
    const bin = path.resolve(import.meta.dirname, '../../../../bin/campus.mjs');
    const servers: ChildProcess[] = [];
    const bases: string[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const port = await findFreePort();
        const child = spawn(process.execPath, [bin, 'serve', '--port', String(port)], {
          env: {
            ...process.env,
            DATABASE_URL: pg.url,
            DATABASE_POOL_SIZE: '20',
            JWT_SECRET_KEY: secret,
            LOG_LEVEL: 'warn',
            SCHEDULER: 'off',
            NODE_ENV: 'test',
          },
          stdio: 'ignore',
        });
        servers.push(child);
        bases.push(`http://127.0.0.1:${port}`);
      }
      for (const base of bases) {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const ok = await fetch(`${base}/healthz`).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) break;
          if (Date.now() > deadline) throw new Error(`${base} did not start`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      const results = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const token = await signDevToken(secret, {
            userId: 40_000 + i,
            username: `racer${i}`,
            roles: [`enterprise_learner:${ENTERPRISE_A}`],
          });
          const res = await fetch(`${bases[i % 2]}/access/api/v1/policy-redemption/${p.uuid}/redeem/`, {
            method: 'POST',
            headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ content_key: run.key }),
          });
          return { status: res.status, body: (await res.json()) as { error_code?: string } };
        }),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(10);
      expect(new Set(results.filter((r) => r.status !== 201).map((r) => r.body.error_code))).toEqual(
        new Set(['policy_spend_limit_reached']),
      );
    } finally {
      for (const s of servers) s.kill('SIGTERM');
    }
  });
});
