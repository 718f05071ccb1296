/**
 * A stand-in Open edX LMS for tests: a real HTTP server on 127.0.0.1 that speaks the part of the
 * LMS's HTTP contract Campus's LMS client uses (as enterprise-subsidy calls it): the OAuth2
 * client-credentials grant, enrolling learners by transaction id, cancelling a fulfillment, and
 * the operator list of fulfillments whose learner unenrolled.
 *
 * `startStandInLms()` listens on a free port and returns the server's URL, what it holds
 * (`enrollments`, every request in `calls`) and switches for failure tests: `next(route, behaviour)`
 * queues one-shot misbehaviours per route (an error status, a hang, a slow answer, a body that is
 * not JSON or has the wrong shape, or an answer lost after the work was done), `delayMs` slows
 * every call. `close()` destroys every socket, hanging ones too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { LmsConfig } from '../../src/config.js';

export type LmsRoute = 'token' | 'enroll' | 'cancel' | 'unenrolled';

export type LmsBehaviour =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'slow'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'answer-lost' }
  | { kind: 'wrong-shape'; body: unknown };

export interface LmsEnrollment {
  fulfillmentUuid: string;
  customerUuid: string;
  userId: number;
  courseRunKey: string;
  transactionId: string;
  forceEnrollment: boolean;
  created: string;
  cancelledAt: string | null;
}

export interface LmsUnenrollment {
  uuid: string;
  transaction_id: string;
  enterprise_course_enrollment: {
    enterprise_customer_user: number;
    course_id: string;
    created: string;
    unenrolled_at: string;
  };
}

export interface LmsCall {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  body: unknown;
  at: number;
}

export interface StandInLms {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** `expires_in` of the tokens issued from now on; 3600 by default. */
  tokenLifetimeSeconds: number;
  /** Every request but the token request waits this long before it is handled; 0 by default. */
  delayMs: number;
  /** Every request received, in order; bodies parsed as form or JSON when they are, else the text. */
  readonly calls: LmsCall[];
  /** By transaction id. */
  readonly enrollments: Map<string, LmsEnrollment>;
  tokensIssued(): number;
  callsTo(route: LmsRoute): LmsCall[];
  byFulfillment(uuid: string): LmsEnrollment | undefined;
  /** Requests received to cancel this fulfillment, whatever was answered. */
  cancelCalls(fulfillmentUuid: string): number;
  /** The next `times` requests to `route` behave so, after any queued before. */
  next(route: LmsRoute, behaviour: LmsBehaviour, times?: number): void;
  refuseCourseRun(courseRunKey: string): void;
  /** Every token issued so far is refused from now on. */
  revokeTokens(): void;
  addUnenrollment(item: LmsUnenrollment): void;
  unenrollLearner(fulfillmentUuid: string, unenrolledAt: Date): LmsUnenrollment;
  close(): Promise<void>;
}

const DEFAULT_CLIENT_ID = 'campus-stand-in';
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
const DEFAULT_FAILURE_BODY = { detail: 'stand-in failure' };
const NOT_FOUND = { detail: 'Not found.' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What Django accepts for a datetime filter: ISO 8601, the time and the offset optional. */
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

interface RouteSpec {
  route: LmsRoute;
  method: 'GET' | 'POST';
  /** The first group, when there is one, is the path's id. */
  pattern: RegExp;
}

// Trailing slashes as Open edX's URL patterns have them: Django does not redirect a POST that
// lacks one, so a client that drops it gets a 404 here as it would there. Only cancel-fulfillment
// is declared without one; it takes both, so that no test hinges on that slash.
const ROUTES: RouteSpec[] = [
  { route: 'token', method: 'POST', pattern: /^\/oauth2\/access_token\/?$/ },
  {
    route: 'enroll',
    method: 'POST',
    pattern: /^\/enterprise\/api\/v1\/enterprise-customer\/([^/.]+)\/enroll_learners_in_courses\/$/,
  },
  {
    route: 'cancel',
    method: 'POST',
    pattern: /^\/enterprise\/api\/v1\/enterprise-subsidy-fulfillment\/([^/.]+)\/cancel-fulfillment\/?$/,
  },
  {
    route: 'unenrolled',
    method: 'GET',
    pattern: /^\/enterprise\/api\/v1\/operator\/enterprise-subsidy-fulfillment\/unenrolled\/$/,
  },
];

const SUCCESS_STATUS: Record<LmsRoute, number> = { token: 200, enroll: 201, cancel: 200, unenrolled: 200 };

interface Matched {
  spec: RouteSpec;
  id: string | null;
}

/** The route a method and path are for, or null; 'wrong-method' when only the method differs. */
function matchRoute(method: string, path: string): Matched | 'wrong-method' | null {
  for (const spec of ROUTES) {
    const found = spec.pattern.exec(path);
    if (!found) continue;
    return spec.method === method ? { spec, id: found[1] ?? null } : 'wrong-method';
  }
  return null;
}

/** The id in the path of a logged call (the fulfillment of a cancel), or null. */
function matchedId(call: LmsCall): string | null {
  const matched = matchRoute(call.method, call.path);
  return matched !== null && matched !== 'wrong-method' ? matched.id : null;
}

interface Reply {
  status: number;
  text: string;
  headers: Record<string, string>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, text: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
}

// DRF's JWT authentication names its scheme in the challenge of every 401.
function unauthorized(detail: string): Reply {
  return json(401, { detail }, { 'www-authenticate': 'JWT realm="api"' });
}

function badRequest(detail: string): Reply {
  return json(400, { detail });
}

/** The answer a switched behaviour gives instead of the LMS's; null when the LMS answers. */
function replacement(behaviour: LmsBehaviour | undefined, route: LmsRoute): Reply | null {
  switch (behaviour?.kind) {
    case 'status':
      return json(behaviour.status, behaviour.body === undefined ? DEFAULT_FAILURE_BODY : behaviour.body);
    case 'wrong-shape':
      return json(SUCCESS_STATUS[route], behaviour.body);
    case 'malformed':
      // Labelled JSON, so that a client that trusts the content type meets the parse error too.
      return {
        status: SUCCESS_STATUS[route],
        text: '<html>oops',
        headers: { 'content-type': 'application/json' },
      };
    default:
      return null;
  }
}

function isFormBody(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function isJsonBody(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/json');
}

/** The body as the log shows it: form fields, parsed JSON, the raw text, or null when empty. */
function loggedBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return null;
  if (isFormBody(req)) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  // The client may have given up (a timeout during a slow answer): nobody is left to answer.
  if (res.destroyed || res.socket?.destroyed) return;
  res.writeHead(reply.status, reply.headers);
  res.end(reply.text);
}

/** Milliseconds since the epoch of an ISO 8601 datetime, UTC when it names no offset; NaN if not one. */
function parseInstant(text: string): number {
  const found = ISO_DATETIME.exec(text);
  if (!found) return Number.NaN;
  const [, date, time = '00:00', offset = 'Z'] = found;
  // Date.parse would read a datetime without offset as local time; Django reads it in UTC (its
  // TIME_ZONE), and takes an offset with or without its colon, which Date.parse does not.
  const colonOffset = offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
  return Date.parse(`${date}T${time}${colonOffset}`);
}

interface EnrollmentItem {
  userId: number;
  courseRunKey: string;
  transactionId: string;
  forceEnrollment: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The enrollments asked for, or the reason the body is not a valid request. */
function parseEnrollments(body: unknown): EnrollmentItem[] | string {
  if (!isRecord(body) || !Array.isArray(body.enrollments_info))
    return 'enrollments_info: a list is required.';
  if (body.enrollments_info.length === 0) return 'enrollments_info: this list may not be empty.';
  const items: EnrollmentItem[] = [];
  for (const [index, item] of body.enrollments_info.entries()) {
    if (!isRecord(item)) return `enrollments_info[${index}]: an object is required.`;
    const { user_id, course_run_key, transaction_id, force_enrollment } = item;
    if (typeof user_id !== 'number' || !Number.isInteger(user_id)) {
      return `enrollments_info[${index}].user_id: an integer is required.`;
    }
    if (typeof course_run_key !== 'string' || course_run_key === '') {
      return `enrollments_info[${index}].course_run_key: a string is required.`;
    }
    if (typeof transaction_id !== 'string' || transaction_id === '') {
      return `enrollments_info[${index}].transaction_id: a string is required.`;
    }
    if (force_enrollment !== undefined && typeof force_enrollment !== 'boolean') {
      return `enrollments_info[${index}].force_enrollment: a boolean is required.`;
    }
    items.push({
      userId: user_id,
      courseRunKey: course_run_key,
      transactionId: transaction_id,
      forceEnrollment: force_enrollment ?? false,
    });
  }
  return items;
}

interface Pause {
  timer: NodeJS.Timeout;
  resolve: (goOn: boolean) => void;
}

class LmsServer implements StandInLms {
  url = '';
  tokenLifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS;
  delayMs = 0;
  readonly calls: LmsCall[] = [];
  readonly enrollments = new Map<string, LmsEnrollment>();

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pauses = new Set<Pause>();
  private readonly queues: Record<LmsRoute, LmsBehaviour[]> = {
    token: [],
    enroll: [],
    cancel: [],
    unenrolled: [],
  };
  /** Token to the time (ms since the epoch) it expires. */
  private readonly tokens = new Map<string, number>();
  private readonly refused = new Set<string>();
  private readonly unenrollments: LmsUnenrollment[] = [];
  private issued = 0;
  private closing: Promise<void> | null = null;

  constructor(
    public clientId: string,
    public clientSecret: string,
  ) {
    this.server = createServer((req, res) => {
      res.on('error', () => {
        // the client went away; there is nothing to tell it
      });
      this.serve(req, res).catch((err: unknown) => {
        send(res, json(500, { detail: `stand-in LMS error: ${(err as Error).message}` }));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        const address = this.server.address();
        if (typeof address !== 'object' || !address) return reject(new Error('stand-in LMS has no port'));
        this.url = `http://127.0.0.1:${address.port}`;
        resolve();
      });
    });
  }

  tokensIssued(): number {
    return this.issued;
  }

  callsTo(route: LmsRoute): LmsCall[] {
    return this.calls.filter((call) => {
      const matched = matchRoute(call.method, call.path);
      return matched !== null && matched !== 'wrong-method' && matched.spec.route === route;
    });
  }

  byFulfillment(uuid: string): LmsEnrollment | undefined {
    for (const enrollment of this.enrollments.values())
      if (enrollment.fulfillmentUuid === uuid) return enrollment;
    return undefined;
  }

  cancelCalls(fulfillmentUuid: string): number {
    return this.callsTo('cancel').filter((call) => matchedId(call) === fulfillmentUuid).length;
  }

  next(route: LmsRoute, behaviour: LmsBehaviour, times = 1): void {
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`next(): times must be a positive integer, not ${times}`);
    for (let i = 0; i < times; i++) this.queues[route].push(behaviour);
  }

  refuseCourseRun(courseRunKey: string): void {
    this.refused.add(courseRunKey);
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  addUnenrollment(item: LmsUnenrollment): void {
    this.unenrollments.push(item);
  }

  unenrollLearner(fulfillmentUuid: string, unenrolledAt: Date): LmsUnenrollment {
    const enrollment = this.byFulfillment(fulfillmentUuid);
    if (!enrollment)
      throw new Error(`unenrollLearner(): the stand-in LMS has no fulfillment ${fulfillmentUuid}`);
    const item: LmsUnenrollment = {
      uuid: enrollment.fulfillmentUuid,
      transaction_id: enrollment.transactionId,
      enterprise_course_enrollment: {
        enterprise_customer_user: enrollment.userId,
        course_id: enrollment.courseRunKey,
        created: enrollment.created,
        unenrolled_at: unenrolledAt.toISOString(),
      },
    };
    enrollment.cancelledAt ??= item.enterprise_course_enrollment.unenrolled_at;
    this.addUnenrollment(item);
    return item;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const pause of this.pauses) {
        clearTimeout(pause.timer);
        pause.resolve(false);
      }
      this.pauses.clear();
      this.server.close(() => resolve());
      // Keep-alive and hanging sockets would hold server.close() open for good.
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    this.calls.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization ?? null,
      body: loggedBody(req, raw),
      at: Date.now(),
    });

    const matched = matchRoute(method, url.pathname);
    if (matched === null) return send(res, json(404, NOT_FOUND));
    if (matched === 'wrong-method')
      return send(res, json(405, { detail: `Method "${method}" not allowed.` }));

    const { route } = matched.spec;
    const behaviour = this.queues[route].shift();
    // Left unanswered: the socket stays open until the client gives up or close() destroys it.
    if (behaviour?.kind === 'hang') return;
    if (route !== 'token' && !(await this.pause(this.delayMs))) return;
    if (behaviour?.kind === 'slow' && !(await this.pause(behaviour.ms))) return;

    const instead = replacement(behaviour, route);
    if (instead) return send(res, instead);

    const reply = this.handle(route, matched.id, req, raw, url.searchParams);
    if (behaviour?.kind === 'answer-lost') {
      // The work is done and the answer never leaves: a crash or a proxy timeout after the LMS acted.
      req.socket.destroy();
      return;
    }
    send(res, reply);
  }

  private handle(
    route: LmsRoute,
    id: string | null,
    req: IncomingMessage,
    raw: string,
    query: URLSearchParams,
  ): Reply {
    if (route === 'token') return this.issueToken(req, raw);
    const refusal = this.authenticate(req.headers.authorization);
    if (refusal) return refusal;
    switch (route) {
      case 'enroll':
        return this.enroll(id ?? '', req, raw);
      case 'cancel':
        return this.cancel(id ?? '');
      case 'unenrolled':
        return this.listUnenrolled(query);
    }
  }

  private issueToken(req: IncomingMessage, raw: string): Reply {
    // Django reads form fields only from a form body: any other body carries no credentials.
    const form = isFormBody(req) ? new URLSearchParams(raw) : new URLSearchParams();
    const valid =
      form.get('grant_type') === 'client_credentials' &&
      form.get('client_id') === this.clientId &&
      form.get('client_secret') === this.clientSecret;
    if (!valid) return json(401, { error: 'invalid_client' });
    // Without token_type=jwt Open edX issues a Bearer token, which `Authorization: JWT` would not
    // carry; refusing here says so at once instead of as a 401 on the next call.
    if (form.get('token_type')?.toLowerCase() !== 'jwt') {
      return json(400, {
        error: 'invalid_request',
        error_description: 'the stand-in LMS issues token_type=jwt only',
      });
    }
    const token = randomBytes(32).toString('base64url');
    const lifetime = this.tokenLifetimeSeconds;
    this.tokens.set(token, Date.now() + lifetime * 1000);
    this.issued++;
    return json(200, { access_token: token, token_type: 'JWT', expires_in: lifetime, scope: 'read write' });
  }

  /** The 401 for a request without a live token, or null when its token is good. */
  private authenticate(header: string | undefined): Reply | null {
    // DRF's JWT authentication ignores a header of another scheme, so it counts as none.
    if (!header?.startsWith('JWT ')) return unauthorized('Authentication credentials were not provided.');
    const expiresAt = this.tokens.get(header.slice('JWT '.length).trim());
    if (expiresAt === undefined || expiresAt <= Date.now()) return unauthorized('Invalid token.');
    return null;
  }

  private enroll(customerUuid: string, req: IncomingMessage, raw: string): Reply {
    if (!UUID.test(customerUuid)) return json(404, NOT_FOUND);
    if (!isJsonBody(req)) {
      const type = (req.headers['content-type'] ?? '').split(';')[0] ?? '';
      return json(415, { detail: `Unsupported media type "${type}" in request.` });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      return badRequest(`JSON parse error - ${(err as Error).message}`);
    }
    const items = parseEnrollments(body);
    if (typeof items === 'string') return badRequest(items);

    const successes: unknown[] = [];
    const failures: unknown[] = [];
    for (const item of items) {
      const existing = this.enrollments.get(item.transactionId);
      if (!existing && this.refused.has(item.courseRunKey)) {
        failures.push({
          user_id: item.userId,
          course_run_key: item.courseRunKey,
          message: `course run ${item.courseRunKey} is not open for enrollment`,
        });
        continue;
      }
      const enrollment = existing ?? this.createEnrollment(customerUuid, item);
      successes.push({
        user_id: enrollment.userId,
        course_run_key: enrollment.courseRunKey,
        created: !existing,
        activation_link: null,
        enterprise_fulfillment_source_uuid: enrollment.fulfillmentUuid,
      });
    }
    const status = successes.length === 0 ? 409 : 201;
    return json(status, { successes, pending: [], failures });
  }

  private createEnrollment(customerUuid: string, item: EnrollmentItem): LmsEnrollment {
    const enrollment: LmsEnrollment = {
      fulfillmentUuid: randomUUID(),
      customerUuid,
      ...item,
      created: new Date().toISOString(),
      cancelledAt: null,
    };
    this.enrollments.set(item.transactionId, enrollment);
    return enrollment;
  }

  private cancel(fulfillmentUuid: string): Reply {
    const enrollment = this.byFulfillment(fulfillmentUuid);
    if (!enrollment) return json(404, NOT_FOUND);
    enrollment.cancelledAt ??= new Date().toISOString();
    return json(200, {});
  }

  private listUnenrolled(query: URLSearchParams): Reply {
    const after = query.get('unenrolled_after');
    if (after === null) return badRequest('unenrolled_after: this query parameter is required.');
    const afterMs = parseInstant(after);
    if (Number.isNaN(afterMs)) return badRequest(`unenrolled_after: "${after}" is not an ISO 8601 datetime.`);
    const items = this.unenrollments.filter(
      (item) => Date.parse(item.enterprise_course_enrollment.unenrolled_at) > afterMs,
    );
    return json(200, items);
  }

  /** Waits `ms`; false when the server closed meanwhile, so that nobody answers on a dead socket. */
  private pause(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(this.closing === null);
    return new Promise((resolve) => {
      const pause: Pause = {
        timer: setTimeout(() => {
          this.pauses.delete(pause);
          resolve(this.closing === null);
        }, ms),
        resolve,
      };
      this.pauses.add(pause);
    });
  }
}

export async function startStandInLms(
  options: { clientId?: string; clientSecret?: string } = {},
): Promise<StandInLms> {
  const lms = new LmsServer(
    options.clientId ?? DEFAULT_CLIENT_ID,
    options.clientSecret ?? randomBytes(16).toString('hex'),
  );
  await lms.listen();
  return lms;
}

/** Campus's LMS configuration for this stand-in (its URL and credentials), with a call timeout. */
export function lmsConfigOf(lms: StandInLms, timeoutMs: number): LmsConfig {
  return {
    url: lms.url,
    clientId: lms.clientId,
    clientSecret: lms.clientSecret,
    providerUrl: `${lms.url}/oauth2`,
    timeoutMs,
  };
}
