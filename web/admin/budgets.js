// @ts-check
// The budgets page: every budget of an enterprise as a card with its figures and status.
import { api } from '../api.js';
import { customerBySlug, h, pageParam, render } from '../lib.js';
import {
  budgetDates,
  budgetStatus,
  figureList,
  figures,
  POLICIES,
  stackedBar,
  typeLabel,
} from './budget-summary.js';

/** @param {HTMLElement} root */
export function budgetsPage(root) {
  return render(root, async () => {
    const slug = pageParam(root, 'slug');
    const customer = await customerBySlug(slug);
    const page = await api(POLICIES, { query: { enterprise_customer_uuid: customer.uuid, page_size: 100 } });
    const cards = page.results.map((p) => {
      const f = figures(p);
      const status = budgetStatus(p);
      return h(
        'li',
        { class: 'card budget' },
        h('h2', {}, h('a', { href: `/app/admin/${slug}/budgets/${p.uuid}/` }, p.display_name || 'Overview')),
        h(
          'p',
          {},
          h('span', { class: 'type' }, typeLabel(p)),
          ' ',
          h('span', { class: `badge ${status.toLowerCase()}` }, status),
        ),
        figureList(f),
        stackedBar(f),
        h('p', { class: 'muted' }, budgetDates(p)),
      );
    });
    return h(
      'section',
      {},
      h('h1', {}, `${customer.name}: budgets`),
      cards.length ? h('ul', { class: 'cards' }, cards) : h('p', {}, 'This enterprise has no budgets yet.'),
    );
  });
}
