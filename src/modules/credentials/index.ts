import type { CampusModule } from '../../http/module.js';
import { credentialsRoutes } from './routes.js';

/**
 * Credentials: course certificate configs, user credentials (course-run and program), grades,
 * program progress computed from the catalog, learner credential status, pathways, credit requests
 * and program records with public sharing.
 */
export { setCredentialStatus, upsertCredential } from './award-certificate.js';
export { type CredentialsDemoReport, seedCredentialsDemo } from './demo-seed.js';
export { bulkLearnerCertStatus, learnerCertStatus, learnerProgramStatus } from './learner-status.js';
export { passedRunKeys } from './passed-runs.js';
export { PROGRAM_CERTIFICATE_AWARDED, PROGRAM_CERTIFICATE_REVOKED } from './program-progress.js';

export const credentialsModule: CampusModule = {
  name: 'credentials',
  prefix: '/credentials',
  routes: credentialsRoutes,
};
