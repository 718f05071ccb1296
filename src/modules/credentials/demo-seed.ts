import type { AppContext } from '../../context.js';
import type { Principal } from '../../shared/principal.js';
import { upsertCredential } from './award-certificate.js';
import { loadProgram } from './catalog-reads.js';
import { upsertGrade } from './grades.js';
import { createPathway, listPathways } from './pathways.js';

/**
 * Demo learners with grades and certificates on the sample catalog (data/catalog-sample.json), so
 * that `npm start` after `campus seed --demo` shows real program records. Safe to repeat: every
 * write is an update-or-create, and the pathway is created once (by name).
 *
 * - grace.hopper (lms_user_id 3001) completed "Data Science" (HarvardX): program certificate
 *   awarded; in "Statistics and Data Science" (MITx) her 6.431x certificate is on an excluded run.
 * - alan.turing (lms_user_id 3002) has one course of "Data Science" and a revoked certificate.
 */
export const DEMO_DATA_SCIENCE = 'd7009298-428d-4ea1-a358-1f7b25177464';
export const DEMO_STATS = 'e2c997fa-1d92-4b91-a0f0-f926dc90e14a';
const PATHWAY_NAME = 'Harvard Extension School credit';

const seeder: Principal = { lmsUserId: 0, username: 'campus-seed', email: null, isStaff: true, grants: [] };

interface DemoCert {
  run: string;
  letter: string;
  percent: number;
  status?: 'awarded' | 'revoked';
}

const LEARNERS: { username: string; lmsUserId: number; certs: DemoCert[] }[] = [
  {
    username: 'grace.hopper',
    lmsUserId: 3001,
    certs: [
      { run: 'course-v1:HarvardX+PH125.1x+2T2025', letter: 'A', percent: 0.94 },
      { run: 'course-v1:HarvardX+PH125.2x+1T2025', letter: 'C', percent: 0.71 },
      { run: 'course-v1:HarvardX+PH125.2x+3T2025', letter: 'A', percent: 0.97 },
      { run: 'course-v1:HarvardX+PH125.3x+2T2026', letter: 'B', percent: 0.85 },
      { run: 'course-v1:MITx+6.431x+1T2025', letter: 'B', percent: 0.82 },
      { run: 'course-v1:MITx+18.6501x+3T2025', letter: 'A', percent: 0.91 },
    ],
  },
  {
    username: 'alan.turing',
    lmsUserId: 3002,
    certs: [
      { run: 'course-v1:HarvardX+PH125.1x+1T2026', letter: 'B', percent: 0.88 },
      { run: 'course-v1:HarvardX+PH125.2x+3T2025', letter: 'F', percent: 0.41, status: 'revoked' },
    ],
  },
];

export interface CredentialsDemoReport {
  certificates: number;
  grades: number;
  skipped: string[];
}

export async function seedCredentialsDemo(ctx: AppContext): Promise<CredentialsDemoReport> {
  const report: CredentialsDemoReport = { certificates: 0, grades: 0, skipped: [] };
  if (!(await loadProgram(ctx, ctx.db.kysely, DEMO_DATA_SCIENCE))) {
    report.skipped.push(`program ${DEMO_DATA_SCIENCE} is not in the catalog`);
    return report;
  }
  for (const learner of LEARNERS) {
    for (const c of learner.certs) {
      await upsertGrade(ctx, seeder, {
        username: learner.username,
        lms_user_id: learner.lmsUserId,
        course_run: c.run,
        letter_grade: c.letter,
        percent_grade: c.percent,
        verified: true,
      });
      report.grades += 1;
      await upsertCredential(ctx, seeder, {
        username: learner.username,
        lms_user_id: learner.lmsUserId,
        credential: { course_run_key: c.run, mode: 'verified' },
        status: c.status ?? 'awarded',
        attributes: [],
      });
      report.certificates += 1;
    }
  }
  const existing = await listPathways(ctx, seeder, { offset: 0, limit: 100 });
  if (!existing.results.some((p) => p.name === PATHWAY_NAME)) {
    await createPathway(ctx, seeder, {
      name: PATHWAY_NAME,
      org_name: 'Harvard Extension School',
      email: 'credit-requests@extension.example.edu',
      destination_url: 'https://extension.example.edu/credit',
      pathway_type: 'credit',
      status: 'published',
      programs: [DEMO_DATA_SCIENCE],
    });
  }
  return report;
}
