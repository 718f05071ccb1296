/**
 * A process that tries to take an embedded data directory (test/foundation/data-dir-lock.test.ts):
 * prints `won` and holds it until the file RELEASE exists, or prints `refused <owner pid>`.
 */
import { existsSync } from 'node:fs';
import { DataDirInUse, lockDataDir } from '../../src/db/data-dir-lock.js';

const [dir, release] = process.argv.slice(2);
if (!dir || !release) throw new Error('usage: take-data-dir.ts DIR RELEASE_FILE');
try {
  const lock = lockDataDir(dir, 'race');
  process.stdout.write('won\n');
  const deadline = Date.now() + 60_000;
  while (!existsSync(release) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  lock.release();
} catch (err) {
  if (!(err instanceof DataDirInUse)) throw err;
  process.stdout.write(`refused ${err.owner.pid}\n`);
}
