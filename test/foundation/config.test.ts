import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEV_JWT_SECRET,
  devSignInEnabled,
  loadConfig,
} from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database on 127.0.0.1:8000 with the development secret', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './.campus-data' });
    expect(config.jwt.secret).toBe(DEV_JWT_SECRET);
    expect(config.jwt.usingDevSecret).toBe(true);
  });

  it('fulfils through the LMS only when LMS_URL and its OAuth2 key and secret are all set', () => {
    expect(loadConfig({}).lms).toBeNull();
    const lms = {
      LMS_URL: 'https://lms.example.com/',
      BACKEND_SERVICE_EDX_OAUTH2_KEY: 'campus-backend',
      BACKEND_SERVICE_EDX_OAUTH2_SECRET: 's3cret',
    };
    expect(loadConfig(lms).lms).toEqual({
      url: 'https://lms.example.com',
      clientId: 'campus-backend',
      clientSecret: 's3cret',
      providerUrl: 'https://lms.example.com/oauth2',
      timeoutMs: 20_000,
    });
    expect(
      loadConfig({
        ...lms,
        BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL: 'https://auth.example.com/oauth2/',
        LMS_TIMEOUT_MS: '5000',
      }).lms,
    ).toMatchObject({ providerUrl: 'https://auth.example.com/oauth2', timeoutMs: 5_000 });
    // Half a configuration is refused at start-up, naming what is missing.
    expect(() => loadConfig({ LMS_URL: lms.LMS_URL })).toThrow(/BACKEND_SERVICE_EDX_OAUTH2_KEY and/);
    expect(() => loadConfig({ ...lms, BACKEND_SERVICE_EDX_OAUTH2_SECRET: '' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ BACKEND_SERVICE_EDX_OAUTH2_KEY: 'k', BACKEND_SERVICE_EDX_OAUTH2_SECRET: 's' }),
    ).toThrow(/LMS_URL is not/);
    for (const bad of ['ftp://lms.example.com', 'lms.example.com'])
      expect(() => loadConfig({ ...lms, LMS_URL: bad }), bad).toThrow(/LMS_URL/);
    for (const bad of ['50', '120001', 'soon'])
      expect(() => loadConfig({ ...lms, LMS_TIMEOUT_MS: bad }), bad).toThrow(/LMS_TIMEOUT_MS/);
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
    const prod = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET_KEY: 'a-real-secret-of-some-length',
      CAMPUS_PUBLIC_URL: 'https://campus.example.com',
    });
    expect(prod.jwt.usingDevSecret).toBe(false);
  });

  it('builds email links on CAMPUS_PUBLIC_URL, required in production, the listening address otherwise', () => {
    expect(loadConfig({}).publicUrl).toBe('http://127.0.0.1:8000');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '9000' }).publicUrl).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ HOST: '::' }).publicUrl).toBe('http://[::1]:8000');
    expect(loadConfig({ CAMPUS_PUBLIC_URL: 'https://campus.example.com/' }).publicUrl).toBe(
      'https://campus.example.com',
    );
    expect(loadConfig({ CAMPUS_PUBLIC_URL: 'http://campus.example.com:8080' }).publicUrl).toBe(
      'http://campus.example.com:8080',
    );
    for (const bad of [
      'campus.example.com',
      'ftp://campus.example.com',
      'https://campus.example.com/campus',
      'https://campus.example.com/?a=1',
      'https://campus.example.com/#top',
      'https://user:pw@campus.example.com',
    ])
      expect(() => loadConfig({ CAMPUS_PUBLIC_URL: bad }), bad).toThrow(/CAMPUS_PUBLIC_URL/);
    const secret = 'a-real-secret-of-some-length';
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: secret })).toThrow(
      /CAMPUS_PUBLIC_URL must be set when NODE_ENV=production/,
    );
    const prod = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET_KEY: secret,
      CAMPUS_PUBLIC_URL: 'https://campus.example.com',
    });
    expect(prod.publicUrl).toBe('https://campus.example.com');
  });

  it('trusts forwarded headers only from TRUSTED_PROXIES (addresses, CIDRs or range names), none by default', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(
      loadConfig({ TRUSTED_PROXIES: '10.0.0.1, 10.1.0.0/16,::1,fd00::/8, loopback' }).trustedProxies,
    ).toEqual(['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['*', 'proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/8', '300.1.1.1', 'true'])
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).toThrow(/TRUSTED_PROXIES/);
  });

  it('mounts the development sign-in on the development secret or when CAMPUS_DEV_SIGN_IN=1, never in production', () => {
    const secret = 'a-real-secret-of-some-length';
    expect(devSignInEnabled(loadConfig({}))).toBe(true);
    expect(devSignInEnabled(loadConfig({ CAMPUS_DEV_SIGN_IN: '0' }))).toBe(false);
    expect(devSignInEnabled(loadConfig({ JWT_SECRET_KEY: secret }))).toBe(false);
    expect(devSignInEnabled(loadConfig({ NODE_ENV: 'development', JWT_SECRET_KEY: secret }))).toBe(false);
    expect(devSignInEnabled(loadConfig({ JWT_SECRET_KEY: secret, CAMPUS_DEV_SIGN_IN: '1' }))).toBe(true);
    const prod = { NODE_ENV: 'production', JWT_SECRET_KEY: secret, CAMPUS_PUBLIC_URL: 'https://c.example' };
    expect(devSignInEnabled(loadConfig(prod))).toBe(false);
    expect(() => loadConfig({ ...prod, CAMPUS_DEV_SIGN_IN: '1' })).toThrow(/CAMPUS_DEV_SIGN_IN/);
    expect(() => loadConfig({ CAMPUS_DEV_SIGN_IN: 'yes' })).toThrow(/CAMPUS_DEV_SIGN_IN/);
  });

  it('guards /metrics with METRICS_TOKEN when it is set', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'scrape-token-0123456789' }).metricsToken).toBe(
      'scrape-token-0123456789',
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('bounds the time to send a request with REQUEST_TIMEOUT_MS, 30 s unless told otherwise', () => {
    expect(loadConfig({}).requestTimeoutMs).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '5000' }).requestTimeoutMs).toBe(5_000);
    for (const bad of ['0', '999', '600001', 'soon'])
      expect(() => loadConfig({ REQUEST_TIMEOUT_MS: bad }), bad).toThrow(/REQUEST_TIMEOUT_MS/);
  });

  it('allows browser calls from the CORS_ALLOWED_ORIGINS, comma-separated origins, none by default', () => {
    expect(loadConfig({}).corsAllowedOrigins).toEqual([]);
    expect(loadConfig({ CORS_ALLOWED_ORIGINS: ' ' }).corsAllowedOrigins).toEqual([]);
    // Written as browsers send Origin: lower-case host, no default port, no trailing slash.
    expect(
      loadConfig({
        CORS_ALLOWED_ORIGINS:
          'https://learner.example.com, https://ADMIN.example.com:443/,http://localhost:1991,,https://learner.example.com',
      }).corsAllowedOrigins,
    ).toEqual(['https://learner.example.com', 'https://admin.example.com', 'http://localhost:1991']);
    // A wildcard cannot go with credentials; a path, a query or another scheme is not an origin.
    for (const bad of [
      '*',
      'null',
      'learner.example.com',
      'ftp://x.example.com',
      'https://x.example.com/app',
      'https://x.example.com?a=1',
    ])
      expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: bad }), bad).toThrow(/CORS_ALLOWED_ORIGINS/);
  });

  it('limits admin reminders with REMINDER_INTERVAL_HOURS, 24 unless told otherwise, 0 for none', () => {
    expect(loadConfig({}).reminderIntervalHours).toBe(24);
    expect(loadConfig({ REMINDER_INTERVAL_HOURS: '0' }).reminderIntervalHours).toBe(0);
    for (const bad of ['-1', '1.5', '721', 'daily'])
      expect(() => loadConfig({ REMINDER_INTERVAL_HOURS: bad }), bad).toThrow(/REMINDER_INTERVAL_HOURS/);
  });

  it('loads the demo data at start-up only with CAMPUS_DEMO=1', () => {
    expect(loadConfig({}).demo).toBe(false);
    expect(loadConfig({ CAMPUS_DEMO: '1' }).demo).toBe(true);
    expect(() => loadConfig({ CAMPUS_DEMO: 'yes' })).toThrow(/CAMPUS_DEMO/);
  });

  it('uses only JWKS when a JWKS URL is given without a secret', () => {
    const config = loadConfig({ JWT_JWKS_URL: 'https://lms.example.com/oauth2/jwks' });
    expect(config.jwt.secret).toBeNull();
    expect(config.jwt.jwksUrl).toBe('https://lms.example.com/oauth2/jwks');
  });
});
