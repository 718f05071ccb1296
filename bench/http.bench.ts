import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { openPglite } from '../src/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { signDevToken } from '../src/http/auth.js';
import { type Benchmark, load, loadFigures } from './harness.js';

/**
 * What Campus's request pipeline (JWT verification, zod validation and serialization, metrics,
 * error mapping) costs, against a bare Fastify route returning the same JSON on the same machine.
 */
export const httpBenchmark: Benchmark = {
  name: 'http',
  description: 'GET /api/v1/me/ (auth + schemas) vs a bare Fastify route',
  async run(log) {
    const config = testConfig();
    const db = await openPglite('memory://');
    await migrateToLatest(db);
    const app = await buildApp({ db, config });
    const campusUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const token = await signDevToken(config.jwt.secret ?? '', {
      userId: 1,
      username: 'bench',
      roles: ['catalog_admin:*'],
    });

    const bare = Fastify();
    bare.get('/me', async () => ({
      lms_user_id: 1,
      username: 'bench',
      email: null,
      is_staff: false,
      roles: ['catalog_admin:*'],
    }));
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

    try {
      log('  bare Fastify route, 5 s ...');
      const baseline = await load(`${bareUrl}/me`);
      log('  Campus GET /api/v1/me/, 5 s ...');
      const subject = await load(`${campusUrl}/api/v1/me/`, { headers: { authorization: `JWT ${token}` } });
      if (subject.non2xx > 0 || subject.errors > 0)
        throw new Error(`Campus answered ${subject.non2xx} non-2xx`);
      log('  Campus GET /healthz (one database round trip), 5 s ...');
      const health = await load(`${campusUrl}/healthz`);
      return [
        {
          label: 'authenticated request',
          subject: loadFigures('campus /api/v1/me/', subject),
          baseline: loadFigures('bare fastify', baseline),
        },
        {
          label: 'health check',
          subject: loadFigures('campus /healthz', health),
          baseline: loadFigures('bare fastify', baseline),
        },
      ];
    } finally {
      await app.close();
      await bare.close();
      await db.close();
    }
  },
};
