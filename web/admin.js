// Admin pages: the budgets of an enterprise and one budget's activity, assignment and requests.
import {
  act,
  api,
  customerBySlug,
  date,
  enrollable,
  field,
  h,
  listControls,
  me,
  money,
  POLICY_TYPES,
  pager,
  render,
  runPriceCents,
  statusLine,
} from './lib.js';

const DAY = 24 * 3600 * 1000;
const POLICIES = '/access/api/v1/subsidy-access-policies/';

/** Scheduled / Active / Expiring (within 60 days) / Expired / Retired. */
export function budgetStatus(p, now = Date.now()) {
  if (p.retired) return 'Retired';
  const start = Date.parse(p.subsidy_active_datetime);
  const end = Date.parse(p.subsidy_expiration_datetime);
  if (now < start) return 'Scheduled';
  if (now >= end) return 'Expired';
  if (end - now <= 60 * DAY) return 'Expiring';
  return 'Active';
}

const figures = (p) => {
  const a = p.aggregates;
  return {
    available: a.spend_available_usd_cents,
    allocated: a.amount_allocated_usd_cents,
    spent: a.amount_redeemed_usd_cents,
  };
};

function stackedBar(f) {
  const total = f.available + f.allocated + f.spent || 1;
  const part = (cls, cents, label) =>
    h('span', {
      class: `bar-${cls}`,
      style: `width:${(100 * cents) / total}%`,
      title: `${label} ${money(cents)}`,
    });
  return h(
    'div',
    {
      class: 'bar',
      role: 'img',
      'aria-label': `Spent ${money(f.spent)}, allocated ${money(f.allocated)}, available ${money(f.available)}`,
    },
    part('spent', f.spent, 'Spent'),
    part('allocated', f.allocated, 'Allocated'),
    part('available', f.available, 'Available'),
  );
}

const figureList = (f) =>
  h(
    'dl',
    { class: 'figures' },
    h('div', {}, h('dt', {}, 'Available'), h('dd', { 'data-figure': 'available' }, money(f.available))),
    h('div', {}, h('dt', {}, 'Allocated'), h('dd', { 'data-figure': 'allocated' }, money(f.allocated))),
    h('div', {}, h('dt', {}, 'Spent'), h('dd', { 'data-figure': 'spent' }, money(f.spent))),
  );

const typeLabel = (p) =>
  p.bnr_enabled ? 'Browse & request' : (POLICY_TYPES[p.policy_type] ?? p.policy_type);

export function budgetsPage(root) {
  const { slug } = root.dataset;
  return render(root, async () => {
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
        h(
          'p',
          { class: 'muted' },
          `${date(p.subsidy_active_datetime)} – ${date(p.subsidy_expiration_datetime)}`,
        ),
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

export function budgetPage(root) {
  const { slug, policy: policyUuid } = root.dataset;
  return render(root, async () => {
    const customer = await customerBySlug(slug);
    const policy = await api(`${POLICIES}${policyUuid}/`);
    const assignable =
      policy.policy_type === 'AssignedLearnerCreditAccessPolicy' && policy.assignment_configuration;
    const header = h('header', { class: 'budget-header' });
    const refreshHeader = async () => {
      const p = await api(`${POLICIES}${policyUuid}/`);
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
            `${date(p.subsidy_active_datetime)} – ${date(p.subsidy_expiration_datetime)}`,
            p.spend_limit != null ? ` · limit ${money(p.spend_limit)}` : '',
          ),
        ),
        figureList(f),
        stackedBar(f),
      );
      return p;
    };
    let current = await refreshHeader();

    const tabs = [['activity', 'Activity', () => activityTab(policy, assignable, refreshHeader)]];
    if (assignable)
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
    const select = (id) => {
      for (const b of tablist.children) b.setAttribute('aria-selected', String(b.dataset.tab === id));
      const build = tabs.find((t) => t[0] === id)[2];
      panel.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
      Promise.resolve(build()).then(
        (el) => panel.replaceChildren(el),
        (err) => panel.replaceChildren(h('p', { role: 'alert', class: 'status error' }, err.message)),
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

// ---- Activity: spent (the subsidy's transactions) and assigned (the admin assignment list)

function activityTab(policy, assignable, refreshHeader) {
  const spent = spentTable(policy);
  const parts = [spent.el];
  if (assignable) parts.unshift(assignedTable(policy, refreshHeader).el);
  return h('div', {}, parts);
}

function spentTable(policy) {
  const state = { page: 1, search: '', ordering: '-enrollment_date' };
  const body = h('div', {});
  const load = async () => {
    try {
      const page = await api(`/subsidy/api/v2/subsidies/${policy.subsidy_uuid}/admin/transactions/`, {
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
      body.replaceChildren(h('p', { role: 'alert', class: 'status error' }, err.message));
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

const LEARNER_STATES = ['notifying', 'waiting', 'failed'];

function assignedTable(policy, refreshHeader) {
  const config = policy.assignment_configuration.uuid;
  const base = `/access/api/v1/assignment-configurations/${config}/admin/assignments/`;
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
      const page = await api(base, {
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
            `${s[0].toUpperCase()}${s.slice(1)} (${counts.get(s) ?? 0})`,
          ),
        ),
      );
      const rows = page.results.map((a) => {
        const rowStatus = h('span', { class: 'status', role: 'status' });
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
                  () => api(`${base}${path}/`, { method: 'POST', body: { assignment_uuids: [a.uuid] } }),
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
          h(
            'td',
            { 'data-col': 'learner-state' },
            a.learner_state ? `${a.learner_state[0].toUpperCase()}${a.learner_state.slice(1)}` : '',
          ),
          h('td', {}, `${a.recent_action?.action_type ?? ''} ${date(a.recent_action?.timestamp)}`),
          h('td', {}, date(a.earliest_possible_expiration?.date)),
          h(
            'td',
            { class: 'actions' },
            run('Remind', 'remind'),
            ' ',
            run('Cancel', 'cancel'),
            ' ',
            rowStatus,
          ),
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
      body.replaceChildren(h('p', { role: 'alert', class: 'status error' }, err.message));
      return null;
    }
  };
  const { search, order } = listControls(state, load, [
    ['-recent_action_time', 'Recent action, newest first'],
    ['recent_action_time', 'Recent action, oldest first'],
    ['learner_state_sort_order', 'Status'],
    ['content_quantity', 'Amount, highest first'],
  ]);
  const all = (label, path, words) =>
    h(
      'button',
      {
        type: 'button',
        onclick: async (e) => {
          const q = new URLSearchParams(Object.entries(filters()).filter(([, v]) => v));
          const scope = q.toString() ? 'the assignments matching the filters' : 'every open assignment';
          if (!confirm(`${label} ${scope}?`)) return;
          const done = await act(
            e.currentTarget,
            status,
            () => api(`${base}${path}/${q.toString() ? `?${q}` : ''}`, { method: 'POST' }),
            (r) => words(r),
          );
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
        all('Remind all', 'remind-all', () => 'Reminders sent.'),
        all('Cancel all', 'cancel-all', (r) => `Cancelled ${r?.cancelled?.length ?? 0} assignment(s).`),
      ),
      chips,
      status,
      body,
    ),
    load,
  };
}

// ---- Assign: a run of the budget's catalog to pasted learner emails

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails from pasted text: valid ones lower-cased and deduplicated, and the rest. */
export function parseEmails(text) {
  const valid = [];
  const invalid = [];
  const seen = new Set();
  for (const raw of text.split(/[\s,;]+/)) {
    const e = raw.trim().toLowerCase();
    if (!e) continue;
    if (!EMAIL.test(e)) invalid.push(raw.trim());
    else if (!seen.has(e)) {
      seen.add(e);
      valid.push(e);
    }
  }
  return { valid, invalid };
}

function assignTab(policy, currentPolicy, refreshHeader) {
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

  const search = async (e) => {
    e?.preventDefault();
    const q = query.value.trim();
    if (!q) return;
    searchStatus.className = 'status pending';
    searchStatus.textContent = 'Searching…';
    try {
      const courses = await api('/catalog/api/v1/courses/', { query: { q, page_size: 20 } });
      const candidates = courses.results.flatMap((c) =>
        (c.course_runs ?? [])
          .filter((r) => enrollable(r) && runPriceCents(r) !== null)
          .map((r) => ({ key: r.key, title: c.title, start: r.start, cents: runPriceCents(r) })),
      );
      let inCatalog = {};
      if (candidates.length) {
        const contains = await api(
          `/enterprise/api/v1/enterprise-catalogs/${policy.catalog_uuid}/contains_content_items/`,
          {
            query: { course_run_ids: candidates.map((c) => c.key).join(',') },
          },
        );
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
      searchStatus.textContent = `Search failed: ${err.message}`;
    }
  };

  const form = h(
    'form',
    {
      id: 'assign-form',
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
            api(`/access/api/v1/policy-allocation/${policy.uuid}/allocate/`, {
              method: 'POST',
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

// ---- Requests (browse & request budgets)

function requestsTab(policy, customer, refreshHeader) {
  const body = h('div', {});
  const state = { page: 1 };
  const base = '/access/api/v1/learner-credit-requests/';
  const load = async () => {
    try {
      const page = await api(base, {
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
        const actions =
          r.state === 'requested'
            ? [
                h(
                  'button',
                  {
                    type: 'button',
                    'aria-label': `Approve ${r.email}`,
                    onclick: async (e) => {
                      const done = await act(
                        e.currentTarget,
                        out,
                        () =>
                          api(`${base}approve/`, {
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
                ),
                ' ',
                reason,
                h(
                  'button',
                  {
                    type: 'button',
                    'aria-label': `Decline ${r.email}`,
                    onclick: async (e) => {
                      const done = await act(
                        e.currentTarget,
                        out,
                        () =>
                          api(`${base}decline/`, {
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
                ),
              ]
            : [];
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
      body.replaceChildren(h('p', { role: 'alert', class: 'status error' }, err.message));
    }
  };
  load();
  return h('section', {}, h('h2', {}, 'Requests'), body);
}

// ---- Learners: the enterprise's learners, and adding learners by email

export function learnersPage(root) {
  const { slug } = root.dataset;
  return render(root, async () => {
    const customer = await customerBySlug(slug);
    const base = `/enterprise/api/v1/enterprise-customer/${customer.uuid}/learners/`;
    const pendingBase = `/enterprise/api/v1/enterprise-customer/${customer.uuid}/pending-learners/`;
    const state = { page: 1 };
    const body = h('div', {});
    const load = async () => {
      try {
        const page = await api(base, { query: { page: state.page, page_size: 20 } });
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
        body.replaceChildren(h('p', { role: 'alert', class: 'status error' }, err.message));
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
        const page = await api(pendingBase, {
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
        pendingList.replaceChildren(h('li', { role: 'alert', class: 'status error' }, err.message));
      }
    };
    const submit = h('button', { type: 'submit' }, 'Add learners');
    const form = h(
      'form',
      {
        id: 'add-learners-form',
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
            () => api(base, { method: 'POST', body: { emails: valid } }),
            (r) => {
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
