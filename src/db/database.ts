import type { RateLimitTables } from '../http/rate-limit.schema.js';
import type { AccessTables } from '../modules/access/schema.js';
import type { AssignmentsTables } from '../modules/assignments/schema.js';
import type { CatalogTables } from '../modules/catalog/schema.js';
import type { CredentialsTables } from '../modules/credentials/schema.js';
import type { EnterpriseTables } from '../modules/enterprise/schema.js';
import type { HistoryTables } from '../modules/history/schema.js';
import type { LedgerTables } from '../modules/ledger/schema.js';
import type { NotificationsTables } from '../modules/notifications/schema.js';
import type { RequestsTables } from '../modules/requests/schema.js';
import type { SubsidyTables } from '../modules/subsidy/schema.js';
import type { WorkflowsTables } from '../modules/workflows/schema.js';

/**
 * Every table Campus owns, as Kysely sees them. Each module declares its own tables in its
 * `schema.ts`; this is only the union, so that one typed handle can be passed around.
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
