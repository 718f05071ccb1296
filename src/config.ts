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
  REMINDER_INTERVAL_HOURS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(720).default(24)),
  CAMPUS_DEMO: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  STALE_TRANSACTION_MINUTES: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(10_080).default(15),
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
  /** Spends left created/pending this long are failed by the sweeper, releasing their reservation. */
  staleTransactionMinutes: number;
  /** `campus serve` loads the demo data at start-up (CAMPUS_DEMO=1, or `--demo`). */
  demo: boolean;
  /** An admin may remind a learner of one assignment or request at most once in this many hours (0: no limit). */
  reminderIntervalHours: number;
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
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET_KEY && !e.JWT_JWKS_URL) {
    throw new ConfigError(['JWT_SECRET_KEY or JWT_JWKS_URL must be set when NODE_ENV=production']);
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
  };
}

/** A config for tests: in-memory database, dev secret, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: 'test', CAMPUS_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }),
    ...overrides,
  };
}
