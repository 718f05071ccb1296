// @ts-check
// The learner's credit page: the budgets they can use, their assignments and requests, a course search.
import { api } from '../api.js';
import {
  act,
  customerBySlug,
  date,
  errorMessage,
  field,
  h,
  me,
  money,
  pageParam,
  render,
  statusError,
  statusLine,
} from '../lib.js';

/**
 * @typedef {import('../api.js').ApiAnswer<'/access/api/v1/policy-redemption/credits_available/'>[number]} Credit
 */
/** A learner's assignment in credits_available. @typedef {Credit['learner_content_assignments'][number]} MyAssignment */

/**
 * @param {string} slug
 * @param {string} courseKey
 * @param {string} text
 */
const courseLink = (slug, courseKey, text) =>
  h('a', { href: `/app/learner/${slug}/courses/${encodeURIComponent(courseKey)}/` }, text);

/** @param {HTMLElement} root */
export function creditPage(root) {
  return render(root, async () => {
    const slug = pageParam(root, 'slug');
    const who = me();
    if (!who) throw statusError('You are not signed in.', 401);
    const customer = await customerBySlug(slug);
    const policies = await api('/access/api/v1/policy-redemption/credits_available/', {
      query: { enterprise_customer_uuid: customer.uuid, lms_user_id: who.user_id },
    });
    // An enrollment-capped budget counts enrollments left, not money (the API's contract).
    // Otherwise the least of what the budget can still spend, the learner's own limit left and the
    // subsidy's balance: `remaining_balance` alone is the subsidy's, shared by every budget.
    /** @param {Credit} p */
    const leftForYou = (p) =>
      p.policy_type === 'PerLearnerEnrollmentCreditAccessPolicy' && p.remaining_balance_per_user !== null
        ? `${p.remaining_balance_per_user} enrollment${p.remaining_balance_per_user === 1 ? '' : 's'}`
        : money(
            Math.min(
              p.spend_available_usd_cents ?? p.remaining_balance,
              p.remaining_balance_per_user ?? Number.POSITIVE_INFINITY,
              p.remaining_balance,
            ),
          );
    const budgets = policies.map((p) =>
      h(
        'li',
        { class: 'card' },
        h('h3', {}, p.display_name || 'Learner credit'),
        h(
          'p',
          {},
          'Left for you: ',
          h('strong', {}, leftForYou(p)),
          ` · until ${date(p.subsidy_expiration_date)}`,
        ),
      ),
    );
    const assignments = policies.flatMap((p) => p.learner_content_assignments ?? []);
    const status = statusLine();
    const assignmentRows = assignments
      .filter((a) => !(['cancelled', 'expired'].includes(a.state) && a.learner_acknowledged))
      .map((a) => {
        const course = a.parent_content_key ?? a.content_key;
        let what;
        if (a.state === 'allocated')
          what = [
            `Assigned to you · enroll by ${date(a.earliest_possible_expiration?.date)} `,
            courseLink(slug, course, 'Enroll'),
          ];
        else if (a.state === 'accepted') what = 'Enrolled';
        else if (a.state === 'cancelled' || a.state === 'expired')
          what = [
            a.state === 'cancelled' ? 'Cancelled by your administrator ' : 'Expired ',
            dismissButton(a, status),
          ];
        else what = a.state;
        return h(
          'li',
          { 'data-state': a.state },
          h('strong', {}, a.content_title ?? a.content_key),
          ' — ',
          what,
        );
      });
    const requests = policies.flatMap((p) => p.learner_requests ?? []);
    /** @type {Set<string>} */
    const seen = new Set();
    const requestRows = requests
      .filter((r) => !seen.has(r.uuid) && seen.add(r.uuid))
      .map((r) =>
        h(
          'li',
          {},
          h('strong', {}, r.course_title ?? r.course_id),
          ` — ${r.state === 'requested' ? 'waiting for approval' : r.state}`,
        ),
      );
    const q = h('input', { type: 'search', id: 'find-course' });
    const found = h('ul', { id: 'found-courses' });
    /** @param {SubmitEvent} e */
    const find = async (e) => {
      e.preventDefault();
      try {
        const page = await api('/catalog/api/v1/courses/', { query: { q: q.value.trim(), page_size: 10 } });
        found.replaceChildren(...page.results.map((c) => h('li', {}, courseLink(slug, c.key, c.title))));
        if (!page.results.length) found.replaceChildren(h('li', {}, 'No course matches.'));
      } catch (err) {
        found.replaceChildren(h('li', { class: 'status error' }, errorMessage(err)));
      }
    };
    return h(
      'section',
      {},
      h('h1', {}, `My learner credit at ${customer.name}`),
      h('h2', {}, 'Budgets I can use'),
      budgets.length
        ? h('ul', { class: 'cards' }, budgets)
        : h('p', {}, 'No learner credit is available to you.'),
      h('h2', {}, 'My assignments'),
      status,
      assignmentRows.length
        ? h('ul', { id: 'my-assignments' }, assignmentRows)
        : h('p', {}, 'Nothing is assigned to you.'),
      h('h2', {}, 'My requests'),
      requestRows.length
        ? h('ul', { id: 'my-requests' }, requestRows)
        : h('p', {}, 'You have asked for nothing yet.'),
      h('h2', {}, 'Find a course'),
      h(
        'form',
        { onsubmit: find, class: 'toolbar' },
        field('Course title', q),
        h('button', { type: 'submit' }, 'Search'),
      ),
      found,
    );
  });
}

/**
 * Dismisses a cancelled or expired assignment from the learner's list.
 * @param {MyAssignment} a
 * @param {HTMLElement} status
 */
function dismissButton(a, status) {
  return h(
    'button',
    {
      type: 'button',
      'aria-label': `Dismiss ${a.content_title ?? a.content_key}`,
      onclick: async (e) => {
        const button = e.currentTarget;
        const done = await act(
          button,
          status,
          () =>
            api('/access/api/v1/assignment-configurations/{config_uuid}/acknowledge-assignments/', {
              method: 'POST',
              params: { config_uuid: a.assignment_configuration },
              body: { assignment_uuids: [a.uuid] },
            }),
          () => 'Dismissed.',
        );
        if (done) button.closest('li')?.remove();
      },
    },
    'Dismiss',
  );
}
