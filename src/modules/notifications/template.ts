export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * An email template: a name (stored with each message, for support) and a plain function of its
 * typed context. Modules own their templates and pass them to `sendEmail`.
 */
export interface EmailTemplate<C> {
  name: string;
  render(context: C): RenderedEmail;
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML bodies; every interpolated value in a template goes through it. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/** `html\`<p>${name}</p>\`` escapes each interpolation. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? escapeHtml(values[i]) : ''), '');
}

/**
 * A plain email of paragraphs: the text version joins them with blank lines, the HTML version
 * wraps each (escaped) in <p>.
 */
export function paragraphsTemplate<C>(
  name: string,
  subject: (c: C) => string,
  paragraphs: (c: C) => string[],
): EmailTemplate<C> {
  return {
    name,
    render(c) {
      const body = paragraphs(c);
      return {
        subject: subject(c),
        text: body.join('\n\n'),
        html: body.map((l) => html`<p>${l}</p>`).join('\n'),
      };
    },
  };
}
