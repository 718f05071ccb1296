import type { CampusModule } from '../http/module.js';
import { accessModule } from './access/index.js';
import { assignmentsModule } from './assignments/index.js';
import { bffModule } from './bff/index.js';
import { catalogModule } from './catalog/index.js';
import { credentialsModule } from './credentials/index.js';
import { enterpriseModule } from './enterprise/index.js';
import { notificationsModule } from './notifications/index.js';
import { provisioningModule } from './provisioning/index.js';
import { requestsModule } from './requests/index.js';
import { subsidyEnrollmentModule, subsidyModule } from './subsidy/index.js';

/** Every module with HTTP routes, mounted by buildApp under its prefix. */
export const modules: CampusModule[] = [
  notificationsModule,
  catalogModule,
  enterpriseModule,
  subsidyModule,
  subsidyEnrollmentModule,
  credentialsModule,
  accessModule,
  assignmentsModule,
  provisioningModule,
  requestsModule,
  bffModule,
];
