// @ts-check
// The learners page: the enterprise's learners, pending invitations, and adding learners by email.
import { api } from '../api.js';
import {
  act,
  customerBySlug,
  date,
  errorMessage,
  field,
  h,
  pageParam,
  pager,
  render,
  statusLine,
} from '../lib.js';
import { parseEmails } from './parse-emails.js';

const LEARNERS = '/enterprise/api/v1/enterprise-customer/{uuid}/learners/';
const PENDING = '/enterprise/api/v1/enterprise-customer/{uuid}/pending-learners/';

/** @param {HTMLElement} root */
export function learnersPage(root) {
  return render(root, async () => {
    const customer = await customerBySlug(pageParam(root, 'slug'));
    const params = { uuid: customer.uuid };
    const state = { page: 1 };
    const body = h('div', {});
    const load = async () => {
      try {
        const page = await api(LEARNERS, { params, query: { page: state.page, page_size: 20 } });
        const rows = page.results.map((m) =>
          h(
            'tr',
            { 'data-learner': m.email ?? m.username },
            h('td', {}, m.username),
            h('td', {}, m.email ?? ''),
            h('td', {}, date(m.linked)),
          ),
        );
        body.replaceChildren(
          rows.length
            ? h(
                'table',
                { id: 'learners-table' },
                h('caption', { class: 'sr-only' }, 'Learners'),
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    ['Username', 'Email', 'Linked'].map((c) => h('th', { scope: 'col' }, c)),
                  ),
                ),
                h('tbody', {}, rows),
              )
            : h('p', { class: 'muted' }, 'No learners yet.'),
          pager(page, state.page, (n) => {
            state.page = n;
            load();
          }),
        );
      } catch (err) {
        body.replaceChildren(h('p', { role: 'alert', class: 'status error' }, errorMessage(err)));
      }
    };

    const emails = h('textarea', {
      id: 'new-learner-emails',
      rows: 3,
      placeholder: 'one or more emails, separated by commas, spaces or lines',
    });
    const result = statusLine();
    result.id = 'add-result';
    const pendingList = h('ul', { id: 'pending-invitations' });
    const pendingState = { page: 1 };
    const loadPending = async () => {
      try {
        const page = await api(PENDING, {
          params,
          query: { page: pendingState.page, page_size: 20 },
        });
        pendingList.replaceChildren(
          ...(page.results.length
            ? page.results.map((p) =>
                h('li', { 'data-pending': p.email }, `${p.email} — invited ${date(p.invited)}, pending`),
              )
            : [h('li', { class: 'muted' }, 'No pending invitations.')]),
          pager(page, pendingState.page, (n) => {
            pendingState.page = n;
            loadPending();
          }),
        );
      } catch (err) {
        pendingList.replaceChildren(h('li', { role: 'alert', class: 'status error' }, errorMessage(err)));
      }
    };
    const submit = h('button', { type: 'submit' }, 'Add learners');
    const form = h(
      'form',
      {
        id: 'add-learners-form',
        /** @param {SubmitEvent} e */
        onsubmit: async (e) => {
          e.preventDefault();
          const { valid, invalid } = parseEmails(emails.value);
          if (!valid.length || invalid.length) {
            result.className = 'status error';
            result.textContent = invalid.length
              ? `Fix these first: ${invalid.join(', ')}`
              : 'Add at least one email.';
            return;
          }
          const done = await act(
            submit,
            result,
            () => api(LEARNERS, { method: 'POST', params, body: { emails: valid } }),
            (r) => {
              // Sent `emails`, the API answers with the linked learners and the pending emails.
              if (!('pending' in r)) return 'Added.';
              const parts = [];
              if (r.linked.length)
                parts.push(`Already learners here: ${r.linked.map((m) => m.email).join(', ')}.`);
              if (r.pending.length)
                parts.push(`Invited, pending until they sign in: ${r.pending.join(', ')}.`);
              return parts.join(' ') || 'Nothing to add.';
            },
          );
          if (done) {
            emails.value = '';
            load();
            loadPending();
          }
        },
      },
      field('Learner emails', emails),
      submit,
      result,
    );
    load();
    loadPending();
    return h(
      'section',
      {},
      h('h1', {}, `${customer.name}: learners`),
      h('h2', {}, 'Add learners'),
      form,
      h('h2', {}, 'Pending invitations'),
      h('p', { class: 'muted' }, 'An invitation stays pending until the person signs in for the first time.'),
      pendingList,
      h('h2', {}, 'Learners'),
      body,
    );
  });
}
