import type { Holds, Refines } from '../db/table-types.js';
import type { RateLimitTableColumns, RateLimitWindowsColumns } from './rate-limit.tables.generated.js';

/** The tables the HTTP layer owns: `npm run db:types` writes their columns into rate-limit.tables.generated.ts. */
export const OWNED_TABLES = ['rate_limit_windows'] as const;

/** The table of the HTTP layer's rate limiter (src/http/rate-limit.ts), as the migrations make it. */
export interface RateLimitTables {
  rate_limit_windows: RateLimitWindowsColumns;
}

/** tsc fails here when these tables and OWNED_TABLES part ways (see src/db/table-types.ts). */
export type RateLimitRefinementsHold = Holds<Refines<RateLimitTableColumns, RateLimitTables>>;
