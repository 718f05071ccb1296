// @ts-check
// A program record's actions: share it by a public link, send it to credit pathways.
import { ApiError, api } from '../api.js';
import { act, errorMessage, h, statusError, statusLine } from '../lib.js';

export const PROGRAMS = '/credentials/records/programs';

/**
 * @typedef {import('./record.js').ProgramRecord} ProgramRecord
 * @typedef {import('../lib.js').Claims} Claims
 */

/**
 * The API's words, except for the rate limit, which gets its own.
 * @template T
 * @param {() => Promise<T>} fn
 */
async function rateLimited(fn) {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError && err.status === 429)
      throw statusError('Too many requests: wait a minute, then try again.', 429);
    throw err;
  }
}

/**
 * The page under /app/ that shows a shared record, from the share answer's URL (…/shared/{hex}/).
 * @param {string} apiUrl
 */
export function publicPageUrl(apiUrl) {
  const hex = new URL(apiUrl, location.origin).pathname.split('/').filter(Boolean).pop();
  return `${location.origin}/app/records/shared/${hex}/`;
}

/**
 * @param {ProgramRecord} record
 * @param {string} programUuid
 * @param {Claims} who
 */
export function shareArea(record, programUuid, who) {
  const out = statusLine();
  out.id = 'share-result';
  const link = h('p', { id: 'share-link' });
  /** @param {string} url */
  const showLink = (url) => {
    const href = publicPageUrl(url);
    const copy = h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(href);
            out.className = 'status ok';
            out.textContent = 'Link copied.';
          } catch {
            out.className = 'status error';
            out.textContent = 'The browser would not copy: select the link and copy it.';
          }
        },
      },
      'Copy link',
    );
    link.replaceChildren('Public link: ', h('a', { href, id: 'public-link' }, href), ' ', copy);
    return href;
  };
  if (record.shared_program_record_uuid)
    showLink(`/credentials/records/programs/shared/${record.shared_program_record_uuid}/`);
  const button = h(
    'button',
    {
      type: 'button',
      onclick: (e) =>
        act(
          e.currentTarget,
          out,
          () =>
            rateLimited(() =>
              api('/credentials/records/programs/{uuid}/share', {
                method: 'POST',
                params: { uuid: programUuid },
                body: { username: who.username },
              }),
            ),
          (r) => {
            showLink(r.url);
            return 'Anyone with this link can see this record, without your email.';
          },
        ),
    },
    'Share',
  );
  return h(
    'section',
    {},
    h('h2', {}, 'Share'),
    h('p', { class: 'muted' }, 'Create a public link to this record, for an employer or a school.'),
    button,
    out,
    link,
  );
}

/**
 * @param {ProgramRecord} record
 * @param {string} programUuid
 * @param {Claims} who
 */
export function sendArea(record, programUuid, who) {
  const credit = record.pathways.filter((p) => p.pathway_type === 'credit');
  if (!credit.length) return null;
  const results = h('ul', { id: 'send-results', 'aria-live': 'polite' });
  const boxes = credit.map((p) => {
    const box = h('input', { type: 'checkbox', value: p.id, disabled: !p.is_active });
    return { p, box };
  });
  const status = statusLine();
  const submit = h('button', { type: 'submit' }, 'Send');
  /** @param {(typeof credit)[number]} p */
  const sendOne = async (p) => {
    const li = h('li', { 'data-pathway': p.id, class: 'status pending' }, `${p.name}: sending…`);
    const existing = results.querySelector(`[data-pathway="${p.id}"]`);
    if (existing) existing.replaceWith(li);
    else results.append(li);
    try {
      await rateLimited(() =>
        api('/credentials/records/programs/{uuid}/send', {
          method: 'POST',
          params: { uuid: programUuid },
          body: { username: who.username, pathway_id: p.id },
        }),
      );
      li.className = 'status ok';
      li.textContent = `Sent to ${p.name}.`;
      return true;
    } catch (err) {
      li.className = 'status error';
      li.replaceChildren(
        `Not sent to ${p.name}: ${errorMessage(err)} `,
        h('button', { type: 'button', onclick: () => sendOne(p) }, `Try again: ${p.name}`),
      );
      return false;
    }
  };
  const form = h(
    'form',
    {
      id: 'send-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const chosen = boxes.filter(({ box }) => box.checked).map(({ p }) => p);
        if (!chosen.length) {
          status.className = 'status error';
          status.textContent = 'Pick at least one pathway.';
          return;
        }
        submit.disabled = true;
        status.className = 'status pending';
        status.textContent = 'Sending…';
        const ok = await Promise.all(chosen.map(sendOne));
        submit.disabled = false;
        const sent = ok.filter(Boolean).length;
        status.className = sent === ok.length ? 'status ok' : 'status error';
        status.textContent = `Sent to ${sent} of ${ok.length} pathway(s).`;
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Credit pathways'),
      boxes.map(({ p, box }) =>
        h(
          'label',
          { class: 'check' },
          box,
          ` ${p.name}`,
          p.status === 'sent' ? h('span', { class: 'muted' }, ' (sent before)') : '',
          p.is_active ? '' : h('span', { class: 'muted' }, ' (not accepting requests)'),
        ),
      ),
    ),
    submit,
    status,
    results,
  );
  return h(
    'section',
    {},
    h('h2', {}, 'Send to a credit pathway'),
    h('p', { class: 'muted' }, 'The school receives an email with a link to your record.'),
    form,
  );
}
