// @ts-check
// A course page for a learner: its open runs, enroll with learner credit, or ask the administrator.
import { api } from '../api.js';
import {
  act,
  customerBySlug,
  date,
  enrollable,
  errorMessage,
  h,
  me,
  money,
  pageParam,
  render,
  runPriceCents,
  statusError,
  statusLine,
} from '../lib.js';

/** @typedef {import('../api.js').ApiAnswer<'/catalog/api/v1/courses/'>['results'][number]['course_runs'][number]} CourseRun */

/** @param {HTMLElement} root */
export function coursePage(root) {
  return render(root, async () => {
    const slug = pageParam(root, 'slug');
    const courseKey = pageParam(root, 'course');
    const who = me();
    const customer = await customerBySlug(slug);
    const course = await api('/enterprise/api/v2/enterprise-customer/{uuid}/content-metadata/{key}/', {
      params: { uuid: customer.uuid, key: courseKey },
    });
    // The API documents the enterprise's fields of the metadata and passes the catalog's course
    // through: its runs are the catalog's (as /catalog/api/v1/courses/ documents them).
    const courseRuns = /** @type {CourseRun[] | undefined} */ (course.course_runs);
    const runs = (courseRuns ?? []).filter((r) => enrollable(r) && runPriceCents(r) !== null);
    const canRedeem = runs.length
      ? await api(
          '/access/api/v1/policy-redemption/enterprise-customer/{enterprise_customer_uuid}/can-redeem/',
          {
            params: { enterprise_customer_uuid: customer.uuid },
            query: { content_key: runs.map((r) => r.key) },
          },
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
            onclick: (e) => {
              const button = e.currentTarget;
              return act(
                button,
                out,
                async () => {
                  if (!who) throw statusError('You are not signed in.', 401);
                  let t = await api('/access/api/v1/policy-redemption/{policy_uuid}/redeem/', {
                    method: 'POST',
                    params: { policy_uuid: policy.uuid },
                    body: { lms_user_id: who.user_id, content_key: r.key, metadata: {} },
                  });
                  // In flight while the LMS enrolls (pending): said so, and asked again each second.
                  for (let i = 0; t.state === 'pending' && i < 60; i++) {
                    out.textContent = 'Enrolling: the learning platform is confirming your enrollment…';
                    await new Promise((ok) => setTimeout(ok, 1000));
                    t = await api('/subsidy/api/v1/transactions/{uuid}/', { params: { uuid: t.uuid } });
                  }
                  if (t.state === 'failed')
                    throw new Error('the learning platform did not enroll you; nothing was charged.');
                  button.remove();
                  return t;
                },
                (t) =>
                  t.state === 'committed'
                    ? `Enrolled: ${money(-t.quantity)} paid with your learner credit. Your course: ${t.courseware_url}`
                    : `Your enrollment is still being confirmed by the learning platform; ${money(-t.quantity)} of your learner credit is set aside for it.`,
              );
            },
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
      const can = await api(
        '/access/api/v1/policy-redemption/enterprise-customer/{enterprise_customer_uuid}/can-request/',
        { params: { enterprise_customer_uuid: customer.uuid }, query: { content_key: courseKey } },
      );
      // The policy is documented as an object only: its uuid is checked here.
      const policyUuid = can.can_request ? can.requestable_subsidy_access_policy?.uuid : null;
      if (typeof policyUuid === 'string') {
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
                    api('/access/api/v1/learner-credit-requests/', {
                      method: 'POST',
                      body: {
                        enterprise_customer_uuid: customer.uuid,
                        policy_uuid: policyUuid,
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
      requestArea.append(h('p', { class: 'status error' }, `Requests are unavailable: ${errorMessage(err)}`));
    }
    return h(
      'section',
      {},
      h('p', {}, h('a', { href: `/app/learner/${slug}/` }, '← My learner credit')),
      h('h1', {}, course.title),
      h(
        'p',
        { class: 'muted' },
        typeof course.short_description === 'string' ? course.short_description : '',
      ),
      h('h2', {}, 'Runs'),
      runItems.length
        ? h('ul', { class: 'cards', id: 'runs' }, runItems)
        : h('p', {}, 'No run is open for enrollment.'),
      requestArea,
    );
  });
}
