import { type EmailTemplate, html } from '../notifications/index.js';

export interface WelcomeAdminEmail {
  customerName: string;
  slug: string;
  adminEmail: string;
}

/** To each new admin of a provisioned customer. */
export const welcomeAdminEmail: EmailTemplate<WelcomeAdminEmail> = {
  name: 'provisioning.welcome_admin',
  render(c) {
    const lines = [
      `You are now an administrator of ${c.customerName} (${c.slug}) on Campus.`,
      `Sign in with ${c.adminEmail} to manage its learners, its catalog and its learner credit budgets.`,
    ];
    return {
      subject: `Welcome to ${c.customerName} on Campus`,
      text: lines.join('\n\n'),
      html: lines.map((l) => html`<p>${l}</p>`).join('\n'),
    };
  },
};
