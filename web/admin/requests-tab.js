// @ts-check
// The budget page's Requests tab (browse & request budgets): approve or decline what learners ask.
import { api } from '../api.js';
import { act, date, errorMessage, h, money, pager } from '../lib.js';

/** @typedef {import('./budget-summary.js').Policy} Policy */
/** @typedef {{ uuid: string }} Customer */

const REQUESTS = '/access/api/v1/learner-credit-requests/';
const APPROVE = '/access/api/v1/learner-credit-requests/approve/';
const DECLINE = '/access/api/v1/learner-credit-requests/decline/';

/**
 * @param {Policy} policy
 * @param {Customer} customer
 * @param {() => Promise<unknown>} refreshHeader
 */
export function requestsTab(policy, customer, refreshHeader) {
  const body = h('div', {});
  const state = { page: 1 };
  const load = async () => {
    try {
      const page = await api(REQUESTS, {
        query: {
          enterprise_customer_uuid: customer.uuid,
          policy_uuid: policy.uuid,
          state: 'requested,declined,cancelled,errored,approved,accepted',
          page: state.page,
          page_size: 10,
        },
      });
      const rows = page.results.map((r) => {
        const out = h('span', { class: 'status', role: 'status' });
        const reason = h('input', {
          type: 'text',
          maxlength: 250,
          'aria-label': `Decline reason for ${r.email}`,
        });
        const approve = h(
          'button',
          {
            type: 'button',
            'aria-label': `Approve ${r.email}`,
            onclick: async (e) => {
              const done = await act(
                e.currentTarget,
                out,
                () =>
                  api(APPROVE, {
                    method: 'POST',
                    body: {
                      learner_credit_request_uuids: [r.uuid],
                      enterprise_customer_uuid: customer.uuid,
                      policy_uuid: policy.uuid,
                    },
                  }),
                () => 'Approved: the learner can now enroll.',
              );
              if (done) {
                await refreshHeader();
                setTimeout(load, 800);
              }
            },
          },
          'Approve',
        );
        const decline = h(
          'button',
          {
            type: 'button',
            'aria-label': `Decline ${r.email}`,
            onclick: async (e) => {
              const done = await act(
                e.currentTarget,
                out,
                () =>
                  api(DECLINE, {
                    method: 'POST',
                    body: {
                      subsidy_request_uuid: r.uuid,
                      enterprise_customer_uuid: customer.uuid,
                      send_notification: true,
                      decline_reason: reason.value,
                    },
                  }),
                () => 'Declined.',
              );
              if (done) setTimeout(load, 800);
            },
          },
          'Decline',
        );
        const actions = r.state === 'requested' ? [approve, ' ', reason, decline] : [];
        return h(
          'tr',
          {},
          h('td', {}, r.email),
          h('td', {}, r.course_title ?? r.course_id),
          h('td', { class: 'num' }, money(r.course_price ?? 0)),
          h('td', {}, date(r.created)),
          h('td', { 'data-col': 'request-state' }, r.learner_request_state ?? r.state),
          h('td', { class: 'actions' }, actions, ' ', out),
        );
      });
      body.replaceChildren(
        rows.length
          ? h(
              'table',
              { id: 'requests-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Learner', 'Course', 'Price', 'Asked', 'State', 'Actions'].map((c) =>
                    h('th', { scope: 'col' }, c),
                  ),
                ),
              ),
              h('tbody', {}, rows),
            )
          : h('p', { class: 'muted' }, 'No requests yet.'),
        pager(page, state.page, (n) => {
          state.page = n;
          load();
        }),
      );
    } catch (err) {
      body.replaceChildren(h('p', { role: 'alert', class: 'status error' }, errorMessage(err)));
    }
  };
  load();
  return h('section', {}, h('h2', {}, 'Requests'), body);
}
