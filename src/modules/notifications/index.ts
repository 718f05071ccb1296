import type { CampusModule } from '../../http/module.js';
import { notificationsRoutes } from './routes.js';

export { type DeliveryReport, deliverPending, type MailTransport, smtpTransport } from './deliver.js';
export { listOutbox } from './list-outbox.js';
export { type EmailOutcome, type EmailOutcomeListener, onEmailOutcome } from './outcomes.js';
export type { OutboxRow, OutboxStatus } from './schema.js';
export { queuedEmailKeys, type SendEmailInput, sendEmail, sendEmails } from './send-email.js';
export { type EmailTemplate, escapeHtml, html, paragraphsTemplate, type RenderedEmail } from './template.js';

export const notificationsModule: CampusModule = {
  name: 'notifications',
  prefix: '',
  routes: notificationsRoutes,
};
