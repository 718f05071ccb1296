/** The table of the HTTP layer's rate limiter (src/http/rate-limit.ts). */
export interface RateLimitTables {
  rate_limit_windows: {
    key: string;
    window_start: Date;
    hits: number;
  };
}
