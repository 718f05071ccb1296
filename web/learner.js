// Learner pages: my learner credit (budgets, assignments, requests) and a course page (enroll, request).
import {
  act,
  api,
  customerBySlug,
  date,
  enrollable,
  field,
  h,
  me,
  money,
  render,
  runPriceCents,
  statusLine,
} from './lib.js';

const ACCESS = '/access/api/v1';
const courseLink = (slug, courseKey, text) =>
  h('a', { href: `/app/learner/${slug}/courses/${encodeURIComponent(courseKey)}/` }, text);

export function creditPage(root) {
  const { slug } = root.dataset;
  return render(root, async () => {
    const who = me();
    if (!who) throw Object.assign(new Error('You are not signed in.'), { status: 401 });
    const customer = await customerBySlug(slug);
    const policies = await api(`${ACCESS}/policy-redemption/credits_available/`, {
      query: { enterprise_customer_uuid: customer.uuid, lms_user_id: who.user_id },
    });
    // An enrollment-capped budget counts enrollments left, not money (the API's contract).
    // Otherwise the least of what the budget can still spend, the learner's own limit left and the
    // subsidy's balance: `remaining_balance` alone is the subsidy's, shared by every budget.
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
    const assignments = policies.flatMap((p) =>
      (p.learner_content_assignments ?? []).map((a) => ({ ...a, policy: p })),
    );
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
            h(
              'button',
              {
                type: 'button',
                'aria-label': `Dismiss ${a.content_title ?? a.content_key}`,
                onclick: async (e) => {
                  const done = await act(
                    e.currentTarget,
                    status,
                    () =>
                      api(
                        `${ACCESS}/assignment-configurations/${a.assignment_configuration}/acknowledge-assignments/`,
                        {
                          method: 'POST',
                          body: { assignment_uuids: [a.uuid] },
                        },
                      ),
                    () => 'Dismissed.',
                  );
                  if (done) e.target.closest('li')?.remove();
                },
              },
              'Dismiss',
            ),
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
    const find = async (e) => {
      e.preventDefault();
      try {
        const page = await api('/catalog/api/v1/courses/', { query: { q: q.value.trim(), page_size: 10 } });
        found.replaceChildren(...page.results.map((c) => h('li', {}, courseLink(slug, c.key, c.title))));
        if (!page.results.length) found.replaceChildren(h('li', {}, 'No course matches.'));
      } catch (err) {
        found.replaceChildren(h('li', { class: 'status error' }, err.message));
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

export function coursePage(root) {
  const { slug, course: courseKey } = root.dataset;
  return render(root, async () => {
    const who = me();
    const customer = await customerBySlug(slug);
    const course = await api(
      `/enterprise/api/v2/enterprise-customer/${customer.uuid}/content-metadata/${encodeURIComponent(courseKey)}/`,
    );
    const runs = (course.course_runs ?? []).filter((r) => enrollable(r) && runPriceCents(r) !== null);
    const canRedeem = runs.length
      ? await api(
          `${ACCESS}/policy-redemption/enterprise-customer/${customer.uuid}/can-redeem/?${runs
            .map((r) => `content_key=${encodeURIComponent(r.key)}`)
            .join('&')}`,
        )
      : [];
    const byKey = new Map(canRedeem.map((c) => [c.content_key, c]));
    const runItems = runs.map((r) => {
      const answer = byKey.get(r.key);
      const out = h('p', { class: 'status', role: 'status' });
      const price = answer?.list_price?.usd_cents ?? runPriceCents(r);
      let action;
      if (answer?.has_successful_redemption) action = h('p', { class: 'status ok' }, 'You are enrolled.');
      else if (answer?.can_redeem && answer.redeemable_subsidy_access_policy) {
        const policy = answer.redeemable_subsidy_access_policy;
        action = h(
          'button',
          {
            type: 'button',
            'aria-label': `Enroll in the run starting ${date(r.start)}`,
            onclick: (e) =>
              act(
                e.currentTarget,
                out,
                async () => {
                  let t = await api(`${ACCESS}/policy-redemption/${policy.uuid}/redeem/`, {
                    method: 'POST',
                    body: { lms_user_id: who.user_id, content_key: r.key, metadata: {} },
                  });
                  // In flight while the LMS enrolls (pending): said so, and asked again each second.
                  for (let i = 0; t.state === 'pending' && i < 60; i++) {
                    out.textContent = 'Enrolling: the learning platform is confirming your enrollment…';
                    await new Promise((ok) => setTimeout(ok, 1000));
                    t = await api(`/subsidy/api/v1/transactions/${t.uuid}/`);
                  }
                  if (t.state === 'failed')
                    throw new Error('the learning platform did not enroll you; nothing was charged.');
                  e.target.remove();
                  return t;
                },
                (t) =>
                  t.state === 'committed'
                    ? `Enrolled: ${money(-t.quantity)} paid with your learner credit. Your course: ${t.courseware_url}`
                    : `Your enrollment is still being confirmed by the learning platform; ${money(-t.quantity)} of your learner credit is set aside for it.`,
              ),
          },
          'Enroll',
        );
      } else {
        action = h(
          'p',
          { class: 'muted' },
          answer?.display_reason?.user_message || 'You cannot enroll in this run with learner credit.',
        );
      }
      return h(
        'li',
        { class: 'card', 'data-run': r.key },
        h('h3', {}, `Starts ${date(r.start)}`),
        h('p', {}, `Ends ${date(r.end)} · ${money(price)}`),
        action,
        out,
      );
    });
    const requestArea = h('div', {});
    try {
      const can = await api(`${ACCESS}/policy-redemption/enterprise-customer/${customer.uuid}/can-request/`, {
        query: { content_key: courseKey },
      });
      if (can.can_request && can.requestable_subsidy_access_policy) {
        const out = statusLine();
        const price = Math.min(
          ...runs.map(runPriceCents).filter((p) => p !== null),
          course.content_price ?? Infinity,
        );
        requestArea.append(
          h('h2', {}, 'Ask your administrator'),
          h(
            'button',
            {
              type: 'button',
              onclick: (e) =>
                act(
                  e.currentTarget,
                  out,
                  () =>
                    api(`${ACCESS}/learner-credit-requests/`, {
                      method: 'POST',
                      body: {
                        enterprise_customer_uuid: customer.uuid,
                        policy_uuid: can.requestable_subsidy_access_policy.uuid,
                        course_id: courseKey,
                        course_price: Number.isFinite(price) ? price : 0,
                      },
                    }),
                  () => 'Request sent: your administrator will approve or decline it.',
                ),
            },
            'Request',
          ),
          out,
        );
      }
    } catch (err) {
      requestArea.append(h('p', { class: 'status error' }, `Requests are unavailable: ${err.message}`));
    }
    return h(
      'section',
      {},
      h('p', {}, h('a', { href: `/app/learner/${slug}/` }, '← My learner credit')),
      h('h1', {}, course.title),
      h('p', { class: 'muted' }, course.short_description ?? ''),
      h('h2', {}, 'Runs'),
      runItems.length
        ? h('ul', { class: 'cards', id: 'runs' }, runItems)
        : h('p', {}, 'No run is open for enrollment.'),
      requestArea,
    );
  });
}
