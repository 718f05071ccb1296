import { type EmailTemplate, paragraphsTemplate } from '../notifications/index.js';

export interface AssignmentEmail {
  organization: string;
  courseTitle: string;
  contentKey: string;
  /** ISO date by which the learner should act (the earliest possible expiration). */
  actionRequiredBy: string | null;
}

const title = (c: AssignmentEmail) => c.courseTitle || c.contentKey;

const template = (
  name: string,
  subject: (c: AssignmentEmail) => string,
  lines: (c: AssignmentEmail) => string[],
): EmailTemplate<AssignmentEmail> => paragraphsTemplate(name, subject, lines);

const deadline = (c: AssignmentEmail) =>
  c.actionRequiredBy ? [`Enroll before ${c.actionRequiredBy.slice(0, 10)} to use it.`] : [];

export const assignedEmail = template(
  'assignments.assigned',
  (c) => `${c.organization} assigned you ${title(c)}`,
  (c) => [
    `${c.organization} has assigned you the course ${title(c)}, paid for by your organization.`,
    ...deadline(c),
  ],
);

export const reminderEmail = template(
  'assignments.reminder',
  (c) => `Reminder: ${title(c)} is waiting for you`,
  (c) => [`${c.organization} assigned you ${title(c)}, and you have not enrolled yet.`, ...deadline(c)],
);

export const cancelledEmail = template(
  'assignments.cancelled',
  (c) => `Your assignment of ${title(c)} was cancelled`,
  (c) => [
    `${c.organization} cancelled your assignment of ${title(c)}. Contact your administrator with questions.`,
  ],
);

export const expiredEmail = template(
  'assignments.expired',
  (c) => `Your assignment of ${title(c)} expired`,
  (c) => [`Your assignment of ${title(c)} from ${c.organization} has expired.`],
);

export interface NudgeEmail extends AssignmentEmail {
  /** ISO date the run starts. */
  startDate: string;
  daysBeforeCourseStartDate: number;
}

/** The executive-education "enrollment warmer" sent to accepted learners before their run starts. */
export const execEdNudgeEmail: EmailTemplate<NudgeEmail> = paragraphsTemplate(
  'assignments.exec_ed_nudge',
  (c) => `${title(c)} starts in ${c.daysBeforeCourseStartDate} days`,
  (c) => [
    `${title(c)}, which ${c.organization} paid for, starts on ${c.startDate} (in ${c.daysBeforeCourseStartDate} days).`,
    'Get ready: check the course page for anything to do before the first session.',
  ],
);
