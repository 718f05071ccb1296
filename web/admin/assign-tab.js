// @ts-check
// The budget page's Assign tab: a run of the budget's catalog to pasted learner emails.
import { api } from '../api.js';
import {
  act,
  date,
  enrollable,
  errorMessage,
  field,
  h,
  me,
  money,
  runPriceCents,
  statusLine,
} from '../lib.js';
import { parseEmails } from './parse-emails.js';

/** @typedef {import('./budget-summary.js').Policy} Policy */
/** @typedef {{ key: string, title: string, start: string | null | undefined, cents: number }} Candidate */

/**
 * @param {Policy} policy
 * @param {() => Policy} currentPolicy the budget as last read (its available spend)
 * @param {() => Promise<unknown>} refreshHeader
 */
export function assignTab(policy, currentPolicy, refreshHeader) {
  /** @type {Map<string, Candidate>} */
  const runs = new Map();
  const query = h('input', { type: 'search', id: 'course-search', placeholder: 'e.g. python' });
  const runSelect = h(
    'select',
    { id: 'run-select', required: true },
    h('option', { value: '' }, 'Search for a course first'),
  );
  const searchStatus = statusLine();
  const emails = h('textarea', {
    id: 'learner-emails',
    rows: 5,
    placeholder: 'one or more emails, separated by commas, spaces or lines',
  });
  const summary = h('p', { id: 'assign-summary', 'aria-live': 'polite' });
  const result = statusLine();
  result.id = 'assign-result';
  const submit = h('button', { type: 'submit' }, 'Assign');

  const update = () => {
    const { valid, invalid } = parseEmails(emails.value);
    const run = runs.get(runSelect.value);
    const available = currentPolicy().aggregates.spend_available_usd_cents;
    const parts = [`${valid.length} learner(s)`];
    if (invalid.length) parts.push(`not emails: ${invalid.join(', ')}`);
    if (run) {
      const total = valid.length * run.cents;
      parts.push(`${valid.length} × ${money(run.cents)} = ${money(total)} of ${money(available)} available`);
      if (total > available) parts.push('more than is available');
    }
    summary.textContent = parts.join(' · ');
    summary.className = invalid.length || (run && valid.length * run.cents > available) ? 'status error' : '';
  };
  emails.addEventListener('input', update);
  runSelect.addEventListener('change', update);

  /** @param {Event} [e] */
  const search = async (e) => {
    e?.preventDefault();
    const q = query.value.trim();
    if (!q) return;
    searchStatus.className = 'status pending';
    searchStatus.textContent = 'Searching…';
    try {
      const courses = await api('/catalog/api/v1/courses/', { query: { q, page_size: 20 } });
      const candidates = courses.results.flatMap((c) =>
        (c.course_runs ?? []).flatMap((r) => {
          const cents = runPriceCents(r);
          return enrollable(r) && cents !== null
            ? [{ key: r.key, title: c.title, start: r.start, cents }]
            : [];
        }),
      );
      /** @type {Record<string, boolean>} */
      let inCatalog = {};
      if (candidates.length) {
        const contains = await api('/enterprise/api/v1/enterprise-catalogs/{uuid}/contains_content_items/', {
          params: { uuid: policy.catalog_uuid },
          query: { course_run_ids: candidates.map((c) => c.key).join(',') },
        });
        inCatalog = contains.by_key ?? {};
      }
      runs.clear();
      runSelect.replaceChildren();
      for (const c of candidates.filter((c) => inCatalog[c.key])) {
        runs.set(c.key, c);
        runSelect.append(
          h('option', { value: c.key }, `${c.title} — starts ${date(c.start)} — ${money(c.cents)}`),
        );
      }
      if (!runs.size)
        runSelect.append(h('option', { value: '' }, 'No open run in this budget’s catalog matches'));
      searchStatus.className = 'status ok';
      searchStatus.textContent = `${runs.size} run(s) in this budget’s catalog.`;
      update();
    } catch (err) {
      searchStatus.className = 'status error';
      searchStatus.textContent = `Search failed: ${errorMessage(err)}`;
    }
  };

  const form = h(
    'form',
    {
      id: 'assign-form',
      /** @param {SubmitEvent} e */
      onsubmit: async (e) => {
        e.preventDefault();
        const run = runs.get(runSelect.value);
        const { valid, invalid } = parseEmails(emails.value);
        if (!run || !valid.length || invalid.length) {
          result.className = 'status error';
          result.textContent = !run
            ? 'Pick a course run first.'
            : invalid.length
              ? `Fix these first: ${invalid.join(', ')}`
              : 'Add at least one learner email.';
          return;
        }
        const done = await act(
          submit,
          result,
          () =>
            api('/access/api/v1/policy-allocation/{policy_uuid}/allocate/', {
              method: 'POST',
              params: { policy_uuid: policy.uuid },
              body: {
                content_key: run.key,
                content_price_cents: run.cents,
                learner_emails: valid,
                admin_lms_user_id: me()?.user_id,
              },
            }),
          (r) =>
            `Assigned: ${r.created.length} created, ${r.updated.length} updated, ${r.no_change.length} unchanged.`,
        );
        if (done) {
          emails.value = '';
          await refreshHeader();
          update();
        }
      },
    },
    h(
      'div',
      { class: 'toolbar' },
      field('Course title', query),
      h('button', { type: 'button', onclick: search }, 'Search'),
    ),
    searchStatus,
    field('Course run', runSelect),
    field('Learner emails', emails),
    summary,
    submit,
    result,
  );
  query.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') search(e);
  });
  return h('section', {}, h('h2', {}, 'Assign a course'), form);
}
