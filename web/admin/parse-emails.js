// @ts-check
// Emails pasted by an admin (assign tab, learners page).

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Emails from pasted text: valid ones lower-cased and deduplicated, and the rest.
 * @param {string} text
 */
export function parseEmails(text) {
  /** @type {string[]} */
  const valid = [];
  /** @type {string[]} */
  const invalid = [];
  const seen = new Set();
  for (const raw of text.split(/[\s,;]+/)) {
    const e = raw.trim().toLowerCase();
    if (!e) continue;
    if (!EMAIL.test(e)) invalid.push(raw.trim());
    else if (!seen.has(e)) {
      seen.add(e);
      valid.push(e);
    }
  }
  return { valid, invalid };
}
