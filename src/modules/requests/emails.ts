import { type EmailTemplate, html, paragraphsTemplate } from '../notifications/index.js';

export interface RequestEmail {
  organization: string;
  courseTitle: string;
  courseId: string;
  /** Only in the decline notice: the admin's reason, when given. */
  declineReason?: string | null;
}

const title = (c: RequestEmail) => c.courseTitle || c.courseId;

const template = (
  name: string,
  subject: (c: RequestEmail) => string,
  lines: (c: RequestEmail) => string[],
): EmailTemplate<RequestEmail> => paragraphsTemplate(name, subject, lines);

export const approvedEmail = template(
  'requests.approved',
  (c) => `Your request for ${title(c)} was approved`,
  (c) => [
    `${c.organization} approved your request for ${title(c)}: the course is paid for by your organization.`,
    'Enroll from your learner portal to use it.',
  ],
);

export const declinedEmail = template(
  'requests.declined',
  (c) => `Your request for ${title(c)} was declined`,
  (c) => [
    `${c.organization} declined your request for ${title(c)}.`,
    ...(c.declineReason ? [`Reason: ${c.declineReason}`] : []),
    'Contact your administrator with questions.',
  ],
);

export const cancelledEmail = template(
  'requests.cancelled',
  (c) => `Your approved request for ${title(c)} was cancelled`,
  (c) => [
    `${c.organization} cancelled your approved request for ${title(c)}. Contact your administrator with questions.`,
  ],
);

export const reminderEmail = template(
  'requests.reminder',
  (c) => `Reminder: ${title(c)} is waiting for you`,
  (c) => [
    `${c.organization} approved your request for ${title(c)}, and you have not enrolled yet.`,
    'Enroll from your learner portal before the approval expires.',
  ],
);

export const expiredEmail = template(
  'requests.expired',
  (c) => `Your approved request for ${title(c)} expired`,
  (c) => [
    `Your approved request for ${title(c)} from ${c.organization} has expired without an enrollment.`,
    'You can request the course again from your learner portal.',
  ],
);

export interface DigestEmail {
  organization: string;
  requests: Array<{ user_email: string; course_title: string }>;
}

/** The admins' digest of requests waiting for a review. */
export const newRequestsDigestEmail: EmailTemplate<DigestEmail> = {
  name: 'requests.new_requests_digest',
  render(c) {
    const n = c.requests.length;
    const intro = `${n} new learner credit request${n === 1 ? '' : 's'} at ${c.organization} wait${n === 1 ? 's' : ''} for your review:`;
    const items = c.requests.map((r) => `${r.user_email}: ${r.course_title}`);
    return {
      subject: `${n} new learner credit request${n === 1 ? '' : 's'} to review`,
      text: [intro, ...items.map((i) => `- ${i}`)].join('\n'),
      html: [html`<p>${intro}</p>`, '<ul>', ...items.map((i) => html`<li>${i}</li>`), '</ul>'].join('\n'),
    };
  },
};
