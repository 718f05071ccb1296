// @ts-check
// Shared helpers of the Campus pages: DOM building, formatting, actions.
import { api } from './api.js';

/**
 * The words of something thrown, for a status line.
 * @param {unknown} err
 */
export const errorMessage = (err) => (err instanceof Error ? err.message : String(err));

/**
 * What `h()` appends: nodes, text (numbers and strings), and lists of them (two deep in the
 * types, any depth at run time); null, undefined and false are skipped.
 * @typedef {Node | string | number | boolean | null | undefined} Leaf
 * @typedef {Leaf | readonly (Leaf | readonly Leaf[])[]} Child
 */
/**
 * An element's attributes: `on<event>` handlers (the event's currentTarget is the element, while
 * the handler runs: keep it before an await), `class`, and the rest as attributes (true is present;
 * null, undefined and false are left out).
 * @template {Element} E
 * @typedef {{
 *   onclick?: (e: MouseEvent & { currentTarget: E }) => unknown,
 *   onsubmit?: (e: SubmitEvent & { currentTarget: E }) => unknown,
 *   [name: string]: unknown,
 * }} Attributes
 */

/**
 * Builds an element: h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child, [more]).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes<HTMLElementTagNameMap[K]> | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function')
      el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  /** @param {unknown} c */
  const append = (c) => {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach(append);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  };
  children.forEach(append);
  return el;
}

/**
 * Something thrown that says who may not see a page: render() offers to sign in on a 401.
 * @param {string} message
 * @param {number} status
 */
export const statusError = (message, status) => Object.assign(new Error(message), { status });

/**
 * A path parameter of the page (from the shell's data): the slug, a policy, a course.
 * @param {HTMLElement} root
 * @param {string} name
 */
export function pageParam(root, name) {
  const value = root.dataset[name];
  if (!value) throw new Error(`This page's address has no ${name}.`);
  return value;
}

const dollarsFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
/**
 * Integer cents → "$1,234.50".
 * @param {number | string | null | undefined} cents
 */
export const money = (cents) => dollarsFormat.format((Number(cents) || 0) / 100);
/**
 * An ISO date-time → a date in the viewer's locale.
 * @param {string | null | undefined} iso
 */
export const date = (iso) =>
  iso
    ? new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
    : '—';

/**
 * The LMS JWT claims the pages read.
 * @typedef {{ user_id: number, username: string, email?: string | null, name?: string }} Claims
 */

/**
 * Who the cookies name: the claims of the readable header.payload cookie.
 * @returns {Claims | null}
 */
export function me() {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('edx-jwt-cookie-header-payload='));
  if (!cookie) return null;
  try {
    const payload = decodeURIComponent(cookie.split('=')[1] ?? '').split('.')[1] ?? '';
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return null;
  }
}

/**
 * Runs an action from a button: disables it, says "Working…", then the outcome in plain words
 * (`describe(result)`) or the API's error, in `status` (a live region).
 * @template T
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} status
 * @param {() => Promise<T>} fn
 * @param {(result: T) => string} describe
 * @returns {Promise<T | undefined>}
 */
export async function act(button, status, fn, describe) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  status.className = 'status pending';
  status.textContent = 'Working…';
  try {
    const result = await fn();
    status.className = 'status ok';
    status.textContent = describe(result);
    return result;
  } catch (err) {
    status.className = 'status error';
    status.textContent = `Not done: ${errorMessage(err)}`;
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

export const statusLine = () => h('p', { class: 'status', role: 'status' });

/**
 * Replaces the page's content, or shows why it could not load.
 * @param {HTMLElement} root
 * @param {() => Promise<Node>} build
 */
export async function render(root, build) {
  try {
    const content = await build();
    root.replaceChildren(content);
  } catch (err) {
    const status = err instanceof Error && 'status' in err ? err.status : undefined;
    root.replaceChildren(
      h('p', { role: 'alert', class: 'status error' }, `This page could not load: ${errorMessage(err)}`),
      status === 401 ? h('p', {}, h('a', { href: '/app/sign-in' }, 'Sign in')) : '',
    );
  }
}

/**
 * The enterprise customer of a slug, among those the caller may see.
 * @param {string} slug
 */
export async function customerBySlug(slug) {
  // Found by the server, among the enterprises the caller may see, however many there are.
  const page = await api('/enterprise/api/v1/enterprise-customer/', { query: { slug } });
  const customer = page.results.find((c) => c.slug === slug);
  if (!customer) throw new Error(`You have no access to an enterprise called "${slug}".`);
  return customer;
}

/**
 * Previous / "Page N of M" / Next for a DRF page.
 * @param {{ count: number, num_pages: number }} page
 * @param {number} current
 * @param {(page: number) => void} go
 */
export function pager(page, current, go) {
  const pages = Math.max(1, page.num_pages || 1);
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', disabled: current <= 1, onclick: () => go(current - 1) }, 'Previous'),
    h('span', {}, `Page ${current} of ${pages} · ${page.count} in all`),
    h('button', { type: 'button', disabled: current >= pages, onclick: () => go(current + 1) }, 'Next'),
  );
}

/**
 * A labelled control: <label>Text <input></label>.
 * @param {string} label
 * @param {HTMLElement} control
 */
export const field = (label, control) => h('label', { class: 'field' }, h('span', {}, label), control);

/** @type {Record<string, string>} */
export const POLICY_TYPES = {
  PerLearnerSpendCreditAccessPolicy: 'Per-learner spend',
  PerLearnerEnrollmentCreditAccessPolicy: 'Per-learner enrollments',
  AssignedLearnerCreditAccessPolicy: 'Assigned credit',
};

/**
 * A run a learner can still enroll in at `now`.
 * @param {{ end?: string | null, enrollment_end?: string | null }} run
 */
export function enrollable(run, now = Date.now()) {
  const end = run.end ? Date.parse(run.end) : Number.POSITIVE_INFINITY;
  const close = run.enrollment_end ? Date.parse(run.enrollment_end) : Number.POSITIVE_INFINITY;
  return end > now && close > now;
}

/**
 * The verified (paid) seat price of a run in cents, or null.
 * @param {{ seats?: readonly { price_cents: number }[] | null }} run
 */
export function runPriceCents(run) {
  const seat = (run.seats ?? []).find((s) => s.price_cents > 0);
  return seat ? seat.price_cents : null;
}

/**
 * A search box and a sort select bound to a list's `state` ({search, ordering, page}): a new
 * search starts again at page 1; either change reloads the list.
 * @param {{ search: string, ordering: string, page: number }} state
 * @param {() => unknown} load
 * @param {[value: string, label: string][]} orderings
 */
export function listControls(state, load, orderings, placeholder = 'email or course') {
  const search = h('input', { type: 'search', placeholder });
  search.addEventListener('change', () => {
    state.search = search.value.trim();
    state.page = 1;
    load();
  });
  const order = h(
    'select',
    {},
    orderings.map(([v, l]) => h('option', { value: v }, l)),
  );
  order.addEventListener('change', () => {
    state.ordering = order.value;
    load();
  });
  return { search, order };
}
