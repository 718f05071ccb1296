import { z } from 'zod';
import type { LmsConfig } from '../config.js';
import { LmsError } from './lms-error.js';

/**
 * A token is renewed this long before it expires (half its life for short-lived ones), so that no
 * call carries one that dies on the way.
 */
const RENEW_BEFORE_MS = 60_000;

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });

interface Held {
  token: string;
  renewAt: number;
}

/**
 * The JWT Campus calls the LMS with, from the OAuth2 client-credentials grant (as Open edX's
 * services get theirs: `POST {provider}/access_token`, `token_type=jwt`), kept until shortly before
 * it expires. Callers that arrive while a token is being fetched share that fetch.
 */
export class AccessTokens {
  private held: Held | null = null;
  private fetching: Promise<Held> | null = null;

  constructor(
    private readonly config: LmsConfig,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    const held = this.held;
    if (held && held.renewAt > this.now()) return held.token;
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = null;
    });
    return (await this.fetching).token;
  }

  /** The LMS refused the token (revoked, or its clock disagrees): the next call fetches another. */
  forget(token: string): void {
    if (this.held?.token === token) this.held = null;
  }

  private async fetch(): Promise<Held> {
    const url = `${this.config.providerUrl}/access_token`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.config.clientId,
          client_secret: this.config.clientSecret,
          token_type: 'jwt',
        }),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (err) {
      // Without a token nothing was asked of the LMS: whatever happened, it did nothing.
      throw new LmsError(
        `LMS token request to ${url} failed: ${(err as Error).message}`,
        'unavailable',
        false,
      );
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const refused = res.status === 400 || res.status === 401 || res.status === 403;
      throw new LmsError(
        refused
          ? `the LMS refused Campus's OAuth2 credentials (${res.status}): check BACKEND_SERVICE_EDX_OAUTH2_KEY and _SECRET`
          : `LMS token request answered ${res.status}`,
        refused ? 'refused' : 'unavailable',
        false,
        res.status,
      );
    }
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) {
      throw new LmsError(
        'the LMS answered the token request without access_token and expires_in',
        'bad-answer',
        false,
      );
    }
    const { access_token: token, expires_in: lifetime } = parsed.data;
    const lifetimeMs = lifetime * 1000;
    this.held = { token, renewAt: this.now() + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 2) };
    return this.held;
  }
}
