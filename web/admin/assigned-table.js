// @ts-check
// The Activity tab's assigned list: open assignments, filtered by learner state, with remind and
// cancel for one and for all that match.
import { api } from '../api.js';
import { act, date, errorMessage, field, h, listControls, money, pager, statusLine } from '../lib.js';

const ASSIGNMENTS = '/access/api/v1/assignment-configurations/{config_uuid}/admin/assignments/';
const REMIND = '/access/api/v1/assignment-configurations/{config_uuid}/admin/assignments/remind/';
const CANCEL = '/access/api/v1/assignment-configurations/{config_uuid}/admin/assignments/cancel/';
const REMIND_ALL = '/access/api/v1/assignment-configurations/{config_uuid}/admin/assignments/remind-all/';
const CANCEL_ALL = '/access/api/v1/assignment-configurations/{config_uuid}/admin/assignments/cancel-all/';
/** @type {('notifying' | 'waiting' | 'failed')[]} */
const LEARNER_STATES = ['notifying', 'waiting', 'failed'];

/** @param {string} s */
const capitalized = (s) => `${s.slice(0, 1).toUpperCase()}${s.slice(1)}`;

/**
 * @param {string} configUuid the budget's assignment configuration
 * @param {() => Promise<unknown>} refreshHeader
 */
export function assignedTable(configUuid, refreshHeader) {
  const params = { config_uuid: configUuid };
  /** @type {{ page: number, search: string, states: Set<string>, ordering: string }} */
  const state = { page: 1, search: '', states: new Set(), ordering: '-recent_action_time' };
  const chips = h('div', { class: 'chips', role: 'group', 'aria-label': 'Filter by learner state' });
  const body = h('div', {});
  const status = statusLine();
  const filters = () => ({
    search: state.search,
    learner_state__in: [...state.states].join(','),
  });
  const load = async () => {
    try {
      const page = await api(ASSIGNMENTS, {
        params,
        query: {
          ...filters(),
          state__in: 'allocated,errored',
          page: state.page,
          page_size: 10,
          ordering: state.ordering,
        },
      });
      const counts = new Map((page.learner_state_counts ?? []).map((c) => [c.learner_state, c.count]));
      chips.replaceChildren(
        ...LEARNER_STATES.map((s) =>
          h(
            'button',
            {
              type: 'button',
              class: 'chip',
              'aria-pressed': String(state.states.has(s)),
              onclick: () => {
                if (state.states.has(s)) state.states.delete(s);
                else state.states.add(s);
                state.page = 1;
                load();
              },
            },
            `${capitalized(s)} (${counts.get(s) ?? 0})`,
          ),
        ),
      );
      const rows = page.results.map((a) => {
        const rowStatus = h('span', { class: 'status', role: 'status' });
        /**
         * @param {'Remind' | 'Cancel'} label
         * @param {typeof REMIND | typeof CANCEL} path
         */
        const run = (label, path) =>
          h(
            'button',
            {
              type: 'button',
              'aria-label': `${label} ${a.learner_email}`,
              onclick: async (e) => {
                if (label === 'Cancel' && !confirm(`Cancel the assignment of ${a.learner_email}?`)) return;
                const done = await act(
                  e.currentTarget,
                  rowStatus,
                  () =>
                    api(path, {
                      method: 'POST',
                      params,
                      body: { assignment_uuids: [a.uuid] },
                    }),
                  () => (label === 'Cancel' ? 'Cancelled.' : 'Reminder sent.'),
                );
                if (done && label === 'Cancel') {
                  status.className = 'status ok';
                  status.textContent = `Cancelled the assignment of ${a.learner_email}.`;
                  await refreshHeader();
                  load();
                }
              },
            },
            label,
          );
        return h(
          'tr',
          {},
          h('td', {}, a.learner_email),
          h('td', {}, a.content_title ?? a.content_key),
          h('td', { class: 'num' }, money(-a.content_quantity)),
          h('td', { 'data-col': 'learner-state' }, a.learner_state ? capitalized(a.learner_state) : ''),
          h('td', {}, `${a.recent_action?.action_type ?? ''} ${date(a.recent_action?.timestamp)}`),
          h('td', {}, date(a.earliest_possible_expiration?.date)),
          h('td', { class: 'actions' }, run('Remind', REMIND), ' ', run('Cancel', CANCEL), ' ', rowStatus),
        );
      });
      body.replaceChildren(
        rows.length
          ? h(
              'table',
              { id: 'assigned-table' },
              h('caption', { class: 'sr-only' }, 'Assigned'),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Learner', 'Course', 'Amount', 'Status', 'Recent action', 'Expires', 'Actions'].map((c) =>
                    h('th', { scope: 'col' }, c),
                  ),
                ),
              ),
              h('tbody', {}, rows),
            )
          : h('p', { class: 'muted' }, 'No open assignments match.'),
        pager(page, state.page, (n) => {
          state.page = n;
          load();
        }),
      );
      return page;
    } catch (err) {
      body.replaceChildren(h('p', { role: 'alert', class: 'status error' }, errorMessage(err)));
      return null;
    }
  };
  const { search, order } = listControls(state, load, [
    ['-recent_action_time', 'Recent action, newest first'],
    ['recent_action_time', 'Recent action, oldest first'],
    ['learner_state_sort_order', 'Status'],
    ['content_quantity', 'Amount, highest first'],
  ]);
  /**
   * A button that reminds or cancels every open assignment the filters match.
   * @template T
   * @param {string} label
   * @param {(query: ReturnType<typeof filters>) => Promise<T>} call
   * @param {(answer: T) => string} words
   */
  const all = (label, call, words) =>
    h(
      'button',
      {
        type: 'button',
        onclick: async (e) => {
          const query = filters();
          const filtered = Object.values(query).some(Boolean);
          const scope = filtered ? 'the assignments matching the filters' : 'every open assignment';
          if (!confirm(`${label} ${scope}?`)) return;
          const done = await act(e.currentTarget, status, () => call(query), words);
          if (done) {
            await refreshHeader();
            load();
          }
        },
      },
      label,
    );
  load();
  return {
    el: h(
      'section',
      {},
      h('h2', {}, 'Assigned'),
      h(
        'div',
        { class: 'toolbar' },
        field('Search assigned', search),
        field('Sort', order),
        all(
          'Remind all',
          (query) => api(REMIND_ALL, { method: 'POST', params, query }),
          () => 'Reminders sent.',
        ),
        all(
          'Cancel all',
          (query) => api(CANCEL_ALL, { method: 'POST', params, query }),
          (r) => `Cancelled ${r.cancelled.length} assignment(s).`,
        ),
      ),
      chips,
      status,
      body,
    ),
    load,
  };
}
