import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../../../test/support/app.js';
import { readCatalogDump, SAMPLE_CATALOG } from '../../../cli/import.js';
import { importCatalog } from '../../catalog/index.js';
import { DEMO_DATA_SCIENCE, DEMO_STATS, seedCredentialsDemo } from '../demo-seed.js';
import { type Body, client } from './fixtures.js';

const hex = (uuid: string) => uuid.replace(/-/g, '');

describe('campus seed --demo: credentials', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await testApp();
    const report = await importCatalog(t.app.campus, await readCatalogDump(SAMPLE_CATALOG));
    expect(report.rejected).toEqual([]);
    await seedCredentialsDemo(t.app.campus);
    await seedCredentialsDemo(t.app.campus); // idempotent
  }, 60_000);
  afterAll(() => t.close());

  it('shows grace.hopper a completed Data Science record and the excluded-run case in Statistics', async () => {
    const grace = client(t, await t.token({ userId: 3001, username: 'grace.hopper' }));
    const list = await grace.get('/records/api/v1/program_records/');
    expect(list.body.enrolled_programs).toEqual([
      expect.objectContaining({ uuid: hex(DEMO_DATA_SCIENCE), name: 'Data Science', completed: true }),
      expect.objectContaining({ uuid: hex(DEMO_STATS), completed: false }),
    ]);
    const record = (await grace.get(`/records/api/v1/program_records/${hex(DEMO_DATA_SCIENCE)}/`)).body
      .record;
    expect(record.grades.map((g: Body) => [g.course_id, g.attempts, g.percent_grade])).toEqual([
      ['course-v1:HarvardX+PH125.1x+2T2025', 1, 0.94],
      ['course-v1:HarvardX+PH125.2x+3T2025', 2, 0.97],
      ['course-v1:HarvardX+PH125.3x+2T2026', 1, 0.85],
    ]);
    expect(record.pathways).toHaveLength(1);
    const stats = await grace.post('/api/credentials/v1/learner_program_status/', {
      username: 'grace.hopper',
      program_uuid: DEMO_STATS,
    });
    const first = stats.body.courses[0];
    expect(first.complete).toBe(false);
    expect(first.runs.find((r: Body) => r.key === 'course-v1:MITx+6.431x+1T2025')).toMatchObject({
      excluded: true,
      status: 'awarded',
    });
    const creds = await t.db.kysely.selectFrom('user_credentials').select('uuid').execute();
    expect(creds).toHaveLength(9); // 8 course certificates + 1 program certificate, after two runs
  });
});
