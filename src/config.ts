import { isIP } from 'node:net';
import { z } from 'zod';
import {
  DEFAULT_DATABASE_TIMEOUT_MS,
  MAX_DATABASE_TIMEOUT_MS,
  MIN_DATABASE_TIMEOUT_MS,
} from './db/database-time.js';

/** The secret used when JWT_SECRET_KEY is unset outside production. Never accepted in production. */
export const DEV_JWT_SECRET = 'campus-development-secret-do-not-use-in-production';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** The longest a client may take to send one whole request (headers and body) unless REQUEST_TIMEOUT_MS says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The longest one call to the LMS may take unless LMS_TIMEOUT_MS says otherwise (enterprise-subsidy's bulk enroll: 20 s). */
export const DEFAULT_LMS_TIMEOUT_MS = 20_000;

/** proxy-addr's names for address ranges, accepted in TRUSTED_PROXIES beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** An http(s) origin: scheme, host and port only, the form links in emails are built on. */
const publicUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
  .refine((v) => {
    // Refinements run after a failed format check too: only a parseable URL is inspected here.
    if (!URL.canParse(v)) return true;
    const u = new URL(v);
    return (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash && !u.username && !u.password;
  }, 'must be an origin such as https://campus.example.com, without a path, query, fragment or credentials')
  .transform((v) => new URL(v).origin);

const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('127.0.0.1')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  CAMPUS_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default('./.campus-data')),
  JWT_SECRET_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  JWT_JWKS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  JWT_ISSUER: z.preprocess(emptyAsUndefined, z.string().optional()),
  JWT_AUDIENCE: z.preprocess(emptyAsUndefined, z.string().optional()),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(logLevels).default('info')),
  SMTP_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^smtps?$/ }).optional()),
  EMAIL_FROM: z.preprocess(emptyAsUndefined, z.string().min(3).default('Campus <no-reply@campus.invalid>')),
  DATABASE_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(500).default(20)),
  DATABASE_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(MIN_DATABASE_TIMEOUT_MS)
      .max(MAX_DATABASE_TIMEOUT_MS)
      .default(DEFAULT_DATABASE_TIMEOUT_MS),
  ),
  SCHEDULER: z.preprocess(emptyAsUndefined, z.enum(['on', 'off']).default('on')),
  LEARNING_MFE_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/ }).default('http://localhost:2000'),
  ),
  LEARNER_RECORD_MFE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  RECORDS_HELP_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  PLATFORM_NAME: z.preprocess(emptyAsUndefined, z.string().trim().min(1).max(100).default('Campus')),
  REMINDER_INTERVAL_HOURS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(720).default(24),
  ),
  CAMPUS_DEMO: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  STALE_TRANSACTION_MINUTES: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(10_080).default(15),
  ),
  CAMPUS_PUBLIC_URL: z.preprocess(emptyAsUndefined, publicUrl.optional()),
  TRUSTED_PROXIES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== ''),
      )
      .refine(
        (list) => list.every(isProxyAddress),
        'must be a comma-separated list of IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal)',
      )
      .optional(),
  ),
  CAMPUS_DEV_SIGN_IN: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).optional()),
  METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  REQUEST_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1_000).max(600_000).default(DEFAULT_REQUEST_TIMEOUT_MS),
  ),
  LMS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  BACKEND_SERVICE_EDX_OAUTH2_KEY: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  BACKEND_SERVICE_EDX_OAUTH2_SECRET: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/ }).optional(),
  ),
  LMS_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(100).max(120_000).default(DEFAULT_LMS_TIMEOUT_MS),
  ),
  CORS_ALLOWED_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter((o) => o !== ''),
      )
      .pipe(z.array(publicUrl))
      .optional(),
  ),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database:
    | {
        kind: 'postgres';
        url: string;
        poolSize: number;
        /** The longest a request waits on PostgreSQL before it is answered 503 (src/db/database-time.ts). */
        timeoutMs: number;
      }
    | { kind: 'pglite'; dataDir: string };
  jwt: {
    secret: string | null;
    jwksUrl: string | null;
    issuer: string | null;
    audience: string | null;
    usingDevSecret: boolean;
  };
  logLevel: (typeof logLevels)[number];
  smtpUrl: string | null;
  emailFrom: string;
  scheduler: boolean;
  /** The learning app whose course pages `courseware_url` links to. */
  learningMfeUrl: string;
  /** The learner record MFE (`https://apps.example.com/learner-record`): shared record links open there; null: Campus's own page. */
  learnerRecordMfeUrl: string | null;
  /** The help page program records link to (`records_help_url`); "" when none. */
  recordsHelpUrl: string;
  /** The platform's name as program records and their emails show it (`platform_name`). */
  platformName: string;
  /** Spends left created/pending this long are failed by the sweeper, releasing their reservation. */
  staleTransactionMinutes: number;
  /** `campus serve` loads the demo data at start-up (CAMPUS_DEMO=1, or `--demo`). */
  demo: boolean;
  /** An admin may remind a learner of one assignment or request at most once in this many hours (0: no limit). */
  reminderIntervalHours: number;
  /**
   * The origin people reach Campus at (`https://campus.example.com`, no trailing slash). Every link
   * in an email or handed out to be shared is built on it; request headers never decide it.
   */
  publicUrl: string;
  /** Proxies whose X-Forwarded-* headers are believed (Fastify `trustProxy`); empty: none. */
  trustedProxies: string[];
  /** CAMPUS_DEV_SIGN_IN: true/false when set, null when unset (see devSignInEnabled). */
  devSignIn: boolean | null;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** The longest a client may take to send a whole request; slower ones are answered 408 and closed. */
  requestTimeoutMs: number;
  /**
   * The origins of the web apps (the MFEs) allowed to call Campus from the browser with the LMS
   * cookies (src/http/cors.ts); empty: none, and no answer carries CORS headers.
   */
  corsAllowedOrigins: string[];
  /**
   * The Open edX LMS that fulfils redemptions (enrollments, their cancellation, unenrollments made
   * there), reached with the client-credentials grant of an OAuth2 application; null: Campus
   * enrolls in-process (the embedded default).
   */
  lms: LmsConfig | null;
}

export interface LmsConfig {
  /** `https://lms.example.com`, no trailing slash. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Where tokens are asked for (`{providerUrl}/access_token`), no trailing slash. */
  providerUrl: string;
  /** The longest one call may take, token included. */
  timeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment into one typed Config, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const lmsProblems = lmsConfigProblems(e);
  if (lmsProblems.length > 0) throw new ConfigError(lmsProblems);
  if (e.NODE_ENV === 'production') {
    const problems: string[] = [];
    if (!e.JWT_SECRET_KEY && !e.JWT_JWKS_URL)
      problems.push('JWT_SECRET_KEY or JWT_JWKS_URL must be set when NODE_ENV=production');
    if (!e.CAMPUS_PUBLIC_URL)
      problems.push(
        'CAMPUS_PUBLIC_URL must be set when NODE_ENV=production (the origin links in emails use)',
      );
    if (e.CAMPUS_DEV_SIGN_IN === '1')
      problems.push(
        'CAMPUS_DEV_SIGN_IN=1 is refused when NODE_ENV=production (it signs anyone in as a demo user)',
      );
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const usingDevSecret = !e.JWT_SECRET_KEY && !e.JWT_JWKS_URL;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DATABASE_POOL_SIZE,
          timeoutMs: e.DATABASE_TIMEOUT_MS,
        }
      : { kind: 'pglite', dataDir: e.CAMPUS_DATA_DIR },
    jwt: {
      secret: e.JWT_SECRET_KEY ?? (usingDevSecret ? DEV_JWT_SECRET : null),
      jwksUrl: e.JWT_JWKS_URL ?? null,
      issuer: e.JWT_ISSUER ?? null,
      audience: e.JWT_AUDIENCE ?? null,
      usingDevSecret,
    },
    logLevel: e.LOG_LEVEL,
    smtpUrl: e.SMTP_URL ?? null,
    emailFrom: e.EMAIL_FROM,
    scheduler: e.SCHEDULER === 'on',
    staleTransactionMinutes: e.STALE_TRANSACTION_MINUTES,
    demo: e.CAMPUS_DEMO === '1',
    reminderIntervalHours: e.REMINDER_INTERVAL_HOURS,
    learningMfeUrl: e.LEARNING_MFE_URL.replace(/\/$/, ''),
    learnerRecordMfeUrl: e.LEARNER_RECORD_MFE_URL?.replace(/\/$/, '') ?? null,
    recordsHelpUrl: e.RECORDS_HELP_URL ?? '',
    platformName: e.PLATFORM_NAME,
    publicUrl: e.CAMPUS_PUBLIC_URL ?? defaultPublicUrl(e.HOST, e.PORT),
    trustedProxies: e.TRUSTED_PROXIES ?? [],
    devSignIn: e.CAMPUS_DEV_SIGN_IN === undefined ? null : e.CAMPUS_DEV_SIGN_IN === '1',
    metricsToken: e.METRICS_TOKEN ?? null,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    corsAllowedOrigins: [...new Set(e.CORS_ALLOWED_ORIGINS ?? [])],
    lms: lmsConfig(e),
  };
}

type Env = z.infer<typeof envSchema>;

/** An LMS needs its OAuth2 application's key and secret, and they mean nothing without an LMS. */
function lmsConfigProblems(e: Env): string[] {
  const credentials = [e.BACKEND_SERVICE_EDX_OAUTH2_KEY, e.BACKEND_SERVICE_EDX_OAUTH2_SECRET];
  if (e.LMS_URL) {
    return credentials.some((c) => c === undefined)
      ? ['BACKEND_SERVICE_EDX_OAUTH2_KEY and BACKEND_SERVICE_EDX_OAUTH2_SECRET must be set when LMS_URL is']
      : [];
  }
  return credentials.some((c) => c !== undefined) || e.BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL
    ? [
        'BACKEND_SERVICE_EDX_OAUTH2_* are set but LMS_URL is not: set LMS_URL (the LMS that fulfils redemptions) or unset them',
      ]
    : [];
}

function lmsConfig(e: Env): LmsConfig | null {
  if (!e.LMS_URL || !e.BACKEND_SERVICE_EDX_OAUTH2_KEY || !e.BACKEND_SERVICE_EDX_OAUTH2_SECRET) return null;
  const url = e.LMS_URL.replace(/\/+$/, '');
  return {
    url,
    clientId: e.BACKEND_SERVICE_EDX_OAUTH2_KEY,
    clientSecret: e.BACKEND_SERVICE_EDX_OAUTH2_SECRET,
    providerUrl: (e.BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL ?? `${url}/oauth2`).replace(/\/+$/, ''),
    timeoutMs: e.LMS_TIMEOUT_MS,
  };
}

/** Outside production, where CAMPUS_PUBLIC_URL may be unset: the address Campus listens on. */
function defaultPublicUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${isIP(reachable) === 6 ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Whether the development sign-in (`/app/sign-in`: anyone picks a demo user) is mounted. Never in
 * production; otherwise CAMPUS_DEV_SIGN_IN decides when set, and when it is unset the sign-in is on
 * only while Campus runs on the development secret (a plain `npm start`), never merely because
 * NODE_ENV is unset next to a real JWT_SECRET_KEY.
 */
export function devSignInEnabled(config: Config): boolean {
  if (config.env === 'production') return false;
  return config.devSignIn ?? config.jwt.usingDevSecret;
}

/** A config for tests: in-memory database, dev secret, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: 'test', CAMPUS_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }),
    ...overrides,
  };
}
