import pino from 'pino';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDb } from '../db/db.js';
import { migrateToLatest } from '../db/migrate.js';
import { startScheduler } from '../jobs.js';

/** Starts the HTTP server on the configured database; stops cleanly on SIGINT/SIGTERM. */
export async function serve(overrides: { port?: number; host?: string } = {}): Promise<void> {
  const config = { ...loadConfig(), ...overrides };
  const log = pino({
    level: config.logLevel,
    transport: process.stdout.isTTY ? { target: 'pino-pretty', options: { colorize: true } } : undefined,
  });
  if (config.jwt.usingDevSecret) {
    log.warn('JWT_SECRET_KEY is not set: using the development secret. Never do this in production.');
  }
  const db = await openDb(config);
  const { applied } = await migrateToLatest(db);
  if (applied.length > 0) log.info({ applied }, 'database migrated');
  const app = await buildApp({ db, config, logger: log, processMetrics: true });
  const stopScheduler = config.scheduler ? startScheduler(app.campus) : async () => {};

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await stopScheduler();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const address = await app.listen({ port: config.port, host: config.host });
  const where =
    config.database.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite (${config.database.dataDir})`;
  log.info(`Campus is serving on ${address} with ${where}. API reference: ${address}/docs`);
}
