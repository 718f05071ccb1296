// @ts-check
// The client of Campus's HTTP API that every page uses, typed from /openapi.json.

/**
 * The API's paths as /openapi.json documents them, generated into api-types.d.ts by
 * `npm run web:types` (scripts/web-api-types.ts) for every path a page names.
 * @typedef {import('./api-types.js').paths} Paths
 * @typedef {'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} Method
 * @typedef {{ query: string, body: unknown, response: unknown }} Operation
 * @typedef {string | number | boolean | null | undefined | readonly (string | number)[]} QueryValue
 */
/**
 * The paths that have an operation for a method.
 * @template {Method} M
 * @typedef {{ [K in keyof Paths]: M extends keyof Paths[K] ? K : never }[keyof Paths]} PathWith
 */
/**
 * The names of a path template's parameters: '/a/{x}/b/{y}/' → 'x' | 'y'.
 * @template {string} P
 * @typedef {P extends `${string}{${infer N}}${infer Rest}` ? N | ParamName<Rest> : never} ParamName
 */
/**
 * @template {keyof Paths} P
 * @template {Method} M
 * @typedef {Extract<Paths[P][M & keyof Paths[P]], Operation>} Op
 */
/**
 * What `api()` answers for a path and a method: the operation's 2xx JSON.
 * @template {keyof Paths} P
 * @template {Method} [M='GET']
 * @typedef {Op<P, M>['response']} ApiAnswer
 */
/**
 * @template {keyof Paths} P
 * @template {Method} M
 * @typedef {{
 *   method?: M,
 *   params?: Record<ParamName<P>, string>,
 *   query?: Partial<Record<Op<P, M>['query'], QueryValue>>,
 *   body?: Op<P, M>['body'],
 * }} ApiOptions
 */

/** An answer of the API that is not 2xx; `message` is the API's own words (`detail`). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {unknown} body
   */
  constructor(status, body) {
    super(describeError(status, body));
    this.status = status;
    this.body = body;
  }
}

/**
 * @param {number} status
 * @param {unknown} body
 */
function describeError(status, body) {
  if (body && typeof body === 'object') {
    /** @type {{ user_message?: unknown, detail?: unknown, reason?: unknown } | undefined} */
    const first = Array.isArray(body) ? body[0] : body;
    const words = first?.user_message || first?.detail || first?.reason;
    if (words) return String(words);
  }
  return `The server answered ${status}.`;
}

/** @type {Promise<string> | null} */
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
 *
 * `path` is the path as /openapi.json names it, with `{name}` for each of `params` (encoded
 * here); the answer is typed from it, e.g. `api('/a/{uuid}/', { params: { uuid } })`. A query
 * value that is empty is left out; an array is sent as the key repeated.
 *
 * @template {Method} [M='GET']
 * @template {PathWith<M>} [P=PathWith<M>]
 * @param {P} path
 * @param {ApiOptions<P, M>} [options]
 * @returns {Promise<ApiAnswer<P, M>>}
 */
export async function api(path, options = {}) {
  const { method = 'GET', params, query, body } = options;
  /** @type {Record<string, string>} */
  const values = params ?? {};
  const filled = path.replace(/\{(\w+)\}/g, (_, name) => {
    const value = values[name];
    if (value === undefined || value === '') throw new Error(`No ${name} for ${path}.`);
    return encodeURIComponent(value);
  });
  const url = new URL(filled, location.origin);
  /** @type {[string, QueryValue][]} */
  const pairs = Object.entries(query ?? {});
  for (const [k, v] of pairs) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null && one !== '') url.searchParams.append(k, String(one));
    }
  }
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json', 'USE-JWT-COOKIE': 'true' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRFToken'] = await csrfToken();
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
