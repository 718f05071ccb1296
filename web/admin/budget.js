// @ts-check
// The budget page: a budget's header (figures, status) and its tabs: activity, assign, requests.
import { api } from '../api.js';
import { customerBySlug, errorMessage, h, money, pageParam, render } from '../lib.js';
import { activityTab } from './activity-tab.js';
import { assignTab } from './assign-tab.js';
import {
  budgetDates,
  budgetStatus,
  figureList,
  figures,
  POLICY,
  stackedBar,
  typeLabel,
} from './budget-summary.js';
import { requestsTab } from './requests-tab.js';

/** @param {HTMLElement} root */
export function budgetPage(root) {
  return render(root, async () => {
    const slug = pageParam(root, 'slug');
    const policyUuid = pageParam(root, 'policy');
    const customer = await customerBySlug(slug);
    const policy = await api(POLICY, { params: { uuid: policyUuid } });
    const assignment =
      policy.policy_type === 'AssignedLearnerCreditAccessPolicy' ? policy.assignment_configuration : null;
    const header = h('header', { class: 'budget-header' });
    const refreshHeader = async () => {
      const p = await api(POLICY, { params: { uuid: policyUuid } });
      const f = figures(p);
      const status = budgetStatus(p);
      header.replaceChildren(
        h('p', {}, h('a', { href: `/app/admin/${slug}/` }, '← All budgets')),
        h('h1', {}, p.display_name || 'Overview'),
        h(
          'p',
          {},
          h('span', { class: 'type' }, typeLabel(p)),
          ' ',
          h('span', { class: `badge ${status.toLowerCase()}` }, status),
          ' ',
          h(
            'span',
            { class: 'muted' },
            budgetDates(p),
            p.spend_limit != null ? ` · limit ${money(p.spend_limit)}` : '',
          ),
        ),
        figureList(f),
        stackedBar(f),
      );
      return p;
    };
    let current = await refreshHeader();

    /** @type {[id: string, label: string, build: () => Node | Promise<Node>][]} */
    const tabs = [['activity', 'Activity', () => activityTab(policy, assignment, refreshHeader)]];
    if (assignment)
      tabs.push([
        'assign',
        'Assign',
        () =>
          assignTab(
            policy,
            () => current,
            async () => {
              current = await refreshHeader();
            },
          ),
      ]);
    if (policy.bnr_enabled)
      tabs.push(['requests', 'Requests', () => requestsTab(policy, customer, refreshHeader)]);
    const panel = h('section', { id: 'tab-panel', role: 'tabpanel' });
    const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Budget sections' });
    /** @param {string} id */
    const select = (id) => {
      for (const b of tablist.querySelectorAll('button'))
        b.setAttribute('aria-selected', String(b.dataset.tab === id));
      const tab = tabs.find((t) => t[0] === id);
      if (!tab) return;
      panel.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
      Promise.resolve(tab[2]()).then(
        (el) => panel.replaceChildren(el),
        (err) => panel.replaceChildren(h('p', { role: 'alert', class: 'status error' }, errorMessage(err))),
      );
    };
    for (const [id, label] of tabs) {
      tablist.append(
        h('button', { type: 'button', role: 'tab', 'data-tab': id, onclick: () => select(id) }, label),
      );
    }
    queueMicrotask(() => select('activity'));
    return h('section', {}, header, tablist, panel);
  });
}
