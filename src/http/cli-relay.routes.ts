import { timingSafeEqual } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { Forbidden, NotAuthenticated, NotFound } from '../shared/errors.js';

/** One line of a relayed command's output, or its end. Sent as NDJSON, one frame a line. */
export type RelayFrame = { stream: 'stdout' | 'stderr'; line: string } | { exit: number };

/**
 * Runs `campus` commands inside the serving process, so that a command run while the server owns
 * the embedded database goes through the one process that may write to it (src/cli/relay.ts).
 */
export interface CliRelay {
  /** The secret in the data directory's lock file (readable by its user only). */
  token: string;
  run(ctx: AppContext, args: string[], cwd: string, emit: (frame: RelayFrame) => void): Promise<number>;
}

export const CLI_RELAY_PATH = '/_campus/cli';
export const CLI_RELAY_TOKEN_HEADER = 'x-campus-cli-token';

const body = z
  .object({
    args: z.array(z.string().max(4096)).min(1).max(100),
    cwd: z.string().min(1).max(4096),
  })
  .strict();

const isLoopback = (address: string | undefined) =>
  !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * `POST /_campus/cli`: not part of the public API (hidden from /openapi.json), and not reachable with
 * any JWT: only from this machine, with the lock file's secret. The answer streams the command's
 * output as it runs (progress included) and ends with its exit code.
 */
export const cliRelayRoutes: FastifyPluginAsyncZod<{ ctx: AppContext; relay: CliRelay }> = async (
  app,
  { ctx, relay },
) => {
  app.post(
    CLI_RELAY_PATH,
    { config: { public: true }, schema: { hide: true, body } },
    async (request, reply) => {
      // Another machine is not told that the route exists.
      if (!isLoopback(request.socket.remoteAddress)) throw new NotFound();
      const given = request.headers[CLI_RELAY_TOKEN_HEADER];
      if (typeof given !== 'string' || given === '') {
        // A JWT, whoever it names, does not open this door.
        const detail = 'This route is for local `campus` commands; it needs the secret in the lock file.';
        throw request.principal
          ? new Forbidden(detail, 'cli_token_missing')
          : new NotAuthenticated(detail, 'cli_token_missing');
      }
      if (!sameSecret(given, relay.token)) {
        throw new Forbidden('The local command secret does not match this server.', 'cli_token_invalid');
      }
      const out = new PassThrough();
      const emit = (frame: RelayFrame) => out.write(`${JSON.stringify(frame)}\n`);
      relay
        .run(ctx, request.body.args, request.body.cwd, emit)
        .catch((err: unknown) => {
          request.log.error({ err }, 'relayed command failed');
          emit({ stream: 'stderr', line: `campus: ${err instanceof Error ? err.message : String(err)}` });
          return 1;
        })
        .then((exit) => out.end(`${JSON.stringify({ exit })}\n`));
      return reply.type('application/x-ndjson').send(out);
    },
  );
};
