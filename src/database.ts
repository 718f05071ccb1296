import type { Kysely, Transaction } from 'kysely';
import {
  type Db as DbOf,
  openDb as openDbOf,
  openPglite as openPgliteOf,
  openPostgres as openPostgresOf,
} from './db/db.js';
import type { RateLimitTables } from './http/rate-limit.schema.js';
import type { AccessTables } from './modules/access/schema.js';
import type { AssignmentsTables } from './modules/assignments/schema.js';
import type { CatalogTables } from './modules/catalog/schema.js';
import type { CredentialsTables } from './modules/credentials/schema.js';
import type { EnterpriseTables } from './modules/enterprise/schema.js';
import type { HistoryTables } from './modules/history/schema.js';
import type { LedgerTables } from './modules/ledger/schema.js';
import type { NotificationsTables } from './modules/notifications/schema.js';
import type { RequestsTables } from './modules/requests/schema.js';
import type { SubsidyTables } from './modules/subsidy/schema.js';
import type { WorkflowsTables } from './modules/workflows/schema.js';

export type { DbDialect, IsolationLevel } from './db/db.js';

/**
 * Every table Campus owns, as Kysely sees them: the union of what each module declares in its
 * `schema.ts`, composed here, above the modules, so that `src/db/` (connections, transactions,
 * migrations) depends on none of them and one typed handle can be passed around.
 */
export interface Database
  extends NotificationsTables,
    LedgerTables,
    CatalogTables,
    EnterpriseTables,
    SubsidyTables,
    AccessTables,
    AssignmentsTables,
    CredentialsTables,
    WorkflowsTables,
    RequestsTables,
    RateLimitTables,
    HistoryTables {}

/** Campus's database: the root handle, transactions, advisory-locked jobs. */
export type Db = DbOf<Database>;
/** A handle that queries run on: the root database or an open transaction. */
export type Executor = Kysely<Database>;
export type Trx = Transaction<Database>;

export const openDb = (...args: Parameters<typeof openDbOf>) => openDbOf<Database>(...args);
export const openPglite = (...args: Parameters<typeof openPgliteOf>) => openPgliteOf<Database>(...args);
export const openPostgres = (...args: Parameters<typeof openPostgresOf>) => openPostgresOf<Database>(...args);
