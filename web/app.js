// @ts-check
// Entry of every page: picks the view named by the shell (data-view) and renders it.
import { api } from './api.js';
import { errorMessage, h, me } from './lib.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
Object.assign(root.dataset, JSON.parse(root.dataset.page ?? '{}'));
const { view = '', slug } = root.dataset;
const who = me();
const whoLine = document.getElementById('who');
if (who && whoLine) whoLine.textContent = `Signed in as ${who.username}`;

const nav = document.getElementById('nav');
if (slug && nav) {
  const admin = view.startsWith('admin');
  nav.append(
    ...(admin
      ? [
          h('a', { href: `/app/admin/${slug}/` }, 'Budgets'),
          h('a', { href: `/app/admin/${slug}/learners/` }, 'Learners'),
        ]
      : [
          h('a', { href: `/app/learner/${slug}/` }, 'My credit'),
          h('a', { href: `/app/learner/${slug}/records/` }, 'My records'),
        ]),
  );
}

/** `/app/` for a signed-in person: their enterprises, with the pages their roles open. */
async function homePage() {
  if (!who) {
    root.replaceChildren(h('p', {}, 'Sign in through your learning platform, then come back to this page.'));
    return;
  }
  try {
    const page = await api('/enterprise/api/v1/memberships/', { query: { page_size: 100 } });
    const items = page.results
      .filter((m) => m.active)
      .map((m) =>
        h(
          'li',
          {},
          h('a', { href: `/app/learner/${m.enterprise_customer.slug}/` }, m.enterprise_customer.name),
        ),
      );
    root.replaceChildren(
      h('h1', {}, 'Your enterprises'),
      items.length ? h('ul', {}, items) : h('p', {}, 'You do not belong to an enterprise yet.'),
    );
  } catch (err) {
    root.replaceChildren(h('p', { role: 'alert', class: 'status error' }, errorMessage(err)));
  }
}

/** @type {Record<string, () => Promise<unknown>>} */
const views = {
  home: homePage,
  'admin-budgets': () => import('./admin/budgets.js').then((m) => m.budgetsPage(root)),
  'admin-budget': () => import('./admin/budget.js').then((m) => m.budgetPage(root)),
  'admin-learners': () => import('./admin/learners.js').then((m) => m.learnersPage(root)),
  'learner-credit': () => import('./learner/credit.js').then((m) => m.creditPage(root)),
  'learner-course': () => import('./learner/course.js').then((m) => m.coursePage(root)),
  'learner-records': () => import('./records/programs.js').then((m) => m.recordsPage(root)),
  'learner-record': () => import('./records/record.js').then((m) => m.recordPage(root)),
  'public-record': () => import('./records/record.js').then((m) => m.publicRecordPage(root)),
};
(views[view] ?? (async () => root.replaceChildren(h('p', {}, 'Unknown page.'))))();
