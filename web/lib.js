// Shared helpers of the Campus pages: the API client, DOM building, formatting, actions.

/** An answer of the API that is not 2xx; `message` is the API's own words (`detail`). */
export class ApiError extends Error {
  constructor(status, body) {
    super(describeError(status, body));
    this.status = status;
    this.body = body;
  }
}

function describeError(status, body) {
  if (body && typeof body === 'object') {
    const first = Array.isArray(body) ? body[0] : body;
    const words = first?.user_message || first?.detail || first?.reason;
    if (words) return String(words);
  }
  return `The server answered ${status}.`;
}

let csrf = null;
/**
 * The CSRF token the API requires on writes authenticated by the cookies (X-CSRFToken equal to the
 * csrftoken cookie), fetched once per page as the Open edX front ends do.
 */
function csrfToken() {
  csrf ??= fetch('/csrf/api/v1/token', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  })
    .then((res) => res.json())
    .then((body) => body.csrfToken)
    .catch((err) => {
      csrf = null;
      throw err;
    });
  return csrf;
}

/**
 * Calls Campus's HTTP API with the browser's LMS JWT cookies. Every call sends USE-JWT-COOKIE and
 * writes the CSRF token, which the API requires of cookie-authenticated state changes.
 */
export async function api(path, { method = 'GET', body, query } = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  const headers = { accept: 'application/json', 'USE-JWT-COOKIE': 'true' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRFToken'] = await csrfToken();
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { detail: text };
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** Builds an element: h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child, [more]). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const dollarsFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
/** Integer cents → "$1,234.50". */
export const money = (cents) => dollarsFormat.format((Number(cents) || 0) / 100);
/** An ISO date-time → a date in the viewer's locale. */
export const date = (iso) =>
  iso
    ? new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
    : '—';

/** Who the cookies name: the claims of the readable header.payload cookie. */
export function me() {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('edx-jwt-cookie-header-payload='));
  if (!cookie) return null;
  try {
    const payload = decodeURIComponent(cookie.split('=')[1]).split('.')[1];
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return null;
  }
}

/**
 * Runs an action from a button: disables it, says "Working…", then the outcome in plain words
 * (`describe(result)`) or the API's error, in `status` (a live region).
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
    status.textContent = `Not done: ${err.message}`;
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

export const statusLine = () => h('p', { class: 'status', role: 'status' });

/** Replaces the page's content, or shows why it could not load. */
export async function render(root, build) {
  try {
    const content = await build();
    root.replaceChildren(content);
  } catch (err) {
    root.replaceChildren(
      h('p', { role: 'alert', class: 'status error' }, `This page could not load: ${err.message}`),
      err.status === 401 ? h('p', {}, h('a', { href: '/app/sign-in' }, 'Sign in')) : null,
    );
  }
}

/** The enterprise customer of a slug, among those the caller may see. */
export async function customerBySlug(slug) {
  // Found by the server, among the enterprises the caller may see, however many there are.
  const page = await api('/enterprise/api/v1/enterprise-customer/', { query: { slug } });
  const customer = page.results.find((c) => c.slug === slug);
  if (!customer) throw new Error(`You have no access to an enterprise called "${slug}".`);
  return customer;
}

/** Previous / "Page N of M" / Next for a DRF page. */
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

/** A labelled control: <label>Text <input></label>. */
export const field = (label, control) => h('label', { class: 'field' }, h('span', {}, label), control);

export const POLICY_TYPES = {
  PerLearnerSpendCreditAccessPolicy: 'Per-learner spend',
  PerLearnerEnrollmentCreditAccessPolicy: 'Per-learner enrollments',
  AssignedLearnerCreditAccessPolicy: 'Assigned credit',
};

/** A run a learner can still enroll in at `now`. */
export function enrollable(run, now = Date.now()) {
  const end = run.end ? Date.parse(run.end) : Number.POSITIVE_INFINITY;
  const close = run.enrollment_end ? Date.parse(run.enrollment_end) : Number.POSITIVE_INFINITY;
  return end > now && close > now;
}

/** The verified (paid) seat price of a run in cents, or null. */
export function runPriceCents(run) {
  const seat = (run.seats ?? []).find((s) => s.price_cents > 0);
  return seat ? seat.price_cents : null;
}

/**
 * A search box and a sort select bound to a list's `state` ({search, ordering, page}): a new
 * search starts again at page 1; either change reloads the list.
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
