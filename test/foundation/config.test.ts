import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database on 127.0.0.1:8000 with the development secret', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './.campus-data' });
    expect(config.jwt.secret).toBe(DEV_JWT_SECRET);
    expect(config.jwt.usingDevSecret).toBe(true);
  });

  it('uses a PostgreSQL server when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/campus', DATABASE_POOL_SIZE: '7' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/campus',
      poolSize: 7,
      timeoutMs: 5_000,
    });
  });

  it('bounds the wait on PostgreSQL with DATABASE_TIMEOUT_MS, 5 s unless told otherwise', () => {
    const url = 'postgres://u:p@db:5432/campus';
    const timeoutOf = (value?: string) => {
      const { database } = loadConfig({ DATABASE_URL: url, DATABASE_TIMEOUT_MS: value });
      return database.kind === 'postgres' ? database.timeoutMs : null;
    };
    expect(timeoutOf()).toBe(5_000);
    expect(timeoutOf('')).toBe(5_000);
    expect(timeoutOf('2500')).toBe(2_500);
    for (const bad of ['0', '499', '600001', '2.5', 'soon'])
      expect(() => timeoutOf(bad), bad).toThrow(/DATABASE_TIMEOUT_MS/);
  });


  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }).database.kind).toBe('pglite');
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', JWT_SECRET_KEY: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'JWT_SECRET_KEY'])
      expect(problems).toContain(name);
  });

  it('refuses to start in production without a real signing key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET_KEY or JWT_JWKS_URL/);
    const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: 'a-real-secret-of-some-length' });
    expect(prod.jwt.usingDevSecret).toBe(false);
  });

  it('uses only JWKS when a JWKS URL is given without a secret', () => {
    const config = loadConfig({ JWT_JWKS_URL: 'https://lms.example.com/oauth2/jwks' });
    expect(config.jwt.secret).toBeNull();
    expect(config.jwt.jwksUrl).toBe('https://lms.example.com/oauth2/jwks');
  });
});
