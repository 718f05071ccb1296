// @ts-check
// The budget page's Activity tab: spent (the subsidy's transactions) and, for an assigned-credit
// budget, assigned (the admin assignment list).
import { api } from '../api.js';
import { date, errorMessage, field, h, listControls, money, pager } from '../lib.js';
import { assignedTable } from './assigned-table.js';

/** @typedef {import('./budget-summary.js').Policy} Policy */

/**
 * @param {Policy} policy
 * @param {Policy['assignment_configuration']} assignment the budget's assignment configuration, when it assigns
 * @param {() => Promise<unknown>} refreshHeader
 */
export function activityTab(policy, assignment, refreshHeader) {
  const spent = spentTable(policy);
  const parts = [spent.el];
  if (assignment) parts.unshift(assignedTable(assignment.uuid, refreshHeader).el);
  return h('div', {}, parts);
}

/** @param {Policy} policy */
function spentTable(policy) {
  const state = { page: 1, search: '', ordering: '-enrollment_date' };
  const body = h('div', {});
  const load = async () => {
    try {
      const page = await api('/subsidy/api/v2/subsidies/{subsidy_uuid}/admin/transactions/', {
        params: { subsidy_uuid: policy.subsidy_uuid },
        query: {
          subsidy_access_policy_uuid: policy.uuid,
          state: 'committed',
          page: state.page,
          page_size: 10,
          search: state.search,
          ordering: state.ordering,
        },
      });
      const rows = page.results.map((t) =>
        h(
          'tr',
          {},
          h('td', {}, t.lms_user_email ?? `user ${t.lms_user_id}`),
          h('td', {}, t.content_title ?? t.content_key),
          h('td', { class: 'num' }, money(-t.quantity)),
          h('td', {}, date(t.created)),
          h(
            'td',
            {},
            t.reversal ? h('span', { class: 'badge expired' }, `Refunded ${date(t.reversal.created)}`) : '',
          ),
        ),
      );
      body.replaceChildren(
        rows.length
          ? h(
              'table',
              { id: 'spent-table' },
              h('caption', { class: 'sr-only' }, 'Spent'),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Learner', 'Course', 'Amount', 'Enrolled', ''].map((c) => h('th', { scope: 'col' }, c)),
                ),
              ),
              h('tbody', {}, rows),
            )
          : h('p', { class: 'muted' }, 'No enrollments yet.'),
        pager(page, state.page, (n) => {
          state.page = n;
          load();
        }),
      );
    } catch (err) {
      body.replaceChildren(h('p', { role: 'alert', class: 'status error' }, errorMessage(err)));
    }
  };
  const { search, order } = listControls(state, load, [
    ['-enrollment_date', 'Newest first'],
    ['enrollment_date', 'Oldest first'],
    ['user_email', 'Learner'],
    ['course_title', 'Course'],
    ['course_list_price', 'Amount, highest first'],
  ]);
  load();
  return {
    el: h(
      'section',
      {},
      h('h2', {}, 'Spent'),
      h('div', { class: 'toolbar' }, field('Search spent', search), field('Sort', order)),
      body,
    ),
    load,
  };
}
