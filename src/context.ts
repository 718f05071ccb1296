import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Db } from './database.js';
import type { LmsClient } from './lms/lms-client.js';
import type { Clock } from './shared/clock.js';
import type { Ids } from './shared/ids.js';

/** What services need from the outside world; built once per process (or per test). */
export interface AppContext {
  db: Db;
  config: Config;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** The LMS that fulfils redemptions (config.lms); absent or null: Campus enrolls in-process. */
  lms?: LmsClient | null;
  /** Test hook: makes workflow steps fail before they run (modules/workflows); never in production. */
  workflowFaults?: { failBefore?(stepId: string): boolean };
}
