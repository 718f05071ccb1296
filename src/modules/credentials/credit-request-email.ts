import { type EmailTemplate, html } from '../notifications/index.js';

export interface CreditRequestEmail {
  learnerName: string;
  programTitle: string;
  pathwayName: string;
  completed: boolean;
  recordUrl: string;
  csvUrl: string;
  platformName: string;
}

/** The credit request sent to a pathway's address (reply-to the learner), as credentials words it. */
export const creditRequestEmail: EmailTemplate<CreditRequestEmail> = {
  name: 'credentials.credit_request',
  render(c) {
    const state = c.completed ? 'completed' : 'partially completed';
    const text = [
      `${c.learnerName} would like to apply for credit in the ${c.pathwayName}.`,
      '',
      `${c.learnerName} has sent their ${state} program record for ${c.programTitle}.`,
      '',
      `View the program record: ${c.recordUrl}`,
      `Download the record as CSV: ${c.csvUrl}`,
      '',
      `— ${c.platformName}`,
    ].join('\n');
    return {
      subject: `${c.programTitle} Credit Request for ${c.learnerName}`,
      text,
      html: html`<p>${c.learnerName} would like to apply for credit in the ${c.pathwayName}.</p>
<p>${c.learnerName} has sent their ${state} program record for ${c.programTitle}.</p>
<p><a href="${c.recordUrl}">View the program record</a> · <a href="${c.csvUrl}">Download it as CSV</a></p>
<p>— ${c.platformName}</p>`,
    };
  },
};
