import type { AppContext } from '../context.js';
import { verifyLedgers } from '../modules/ledger/index.js';
import { getSubsidyRow } from '../modules/subsidy/index.js';
import type { CliIo } from './io.js';
import { progressReporter } from './progress.js';

/**
 * `campus ledger verify`: recomputes each ledger's balances from its journal and compares them
 * with the running balances. Returns the exit code: 0 clean, 1 a mismatch was found.
 */
export async function verifyCommand(
  ctx: AppContext,
  options: { ledger?: string[]; subsidy?: string[] },
  io: CliIo,
): Promise<number> {
  let ledgerUuids = options.ledger;
  if (options.subsidy) {
    ledgerUuids = [...(ledgerUuids ?? [])];
    for (const uuid of options.subsidy) {
      const subsidy = await getSubsidyRow(ctx.db.kysely, uuid);
      if (!subsidy) throw new Error(`No subsidy ${uuid}.`);
      ledgerUuids.push(subsidy.ledger_uuid);
    }
  }
  const progress = progressReporter('verifying ledgers', io);
  const checks = await verifyLedgers(ctx.db.kysely, {
    ledgerUuids,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.stop();
  const bad = checks.filter((c) => !c.ok);
  for (const c of bad) {
    io.out(
      `MISMATCH ledger ${c.uuid}: stored balance ${c.stored.balance}, committed ${c.stored.committed}, deposits ` +
        `${c.stored.deposits}; journal says ${c.journal.balance}, ${c.journal.committed}, ${c.journal.deposits}`,
    );
  }
  io.out(`${checks.length} ledger(s) checked, ${bad.length} mismatch(es)`);
  return bad.length === 0 ? 0 : 1;
}
