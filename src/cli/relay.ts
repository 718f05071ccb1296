import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DataDirOwner, readDataDirOwner } from '../db/data-dir-lock.js';
import {
  CLI_RELAY_PATH,
  CLI_RELAY_TOKEN_HEADER,
  type CliRelay,
  type RelayFrame,
} from '../http/cli-relay.routes.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import { type CliRuntime, servedRuntime } from './runtime.js';

/**
 * While `campus serve` owns an embedded data directory, every other `campus` command that needs the
 * database runs *inside* the server: the command line is sent to the server's local relay route
 * (src/http/cli-relay.routes.ts) with the lock file's secret, the server runs the very same command
 * code on its own database handle, and streams the output back. PGlite has one writer; this keeps it
 * one, and the command sees (and is seen by) every request the server answers.
 */

/** Commands that may run through the server; `serve` and `token` never need to. */
export const RELAYED_COMMANDS = new Set([
  'migrate',
  'seed',
  'import',
  'provision',
  'ledger',
  'outbox',
  'jobs',
]);

/** How long a command waits for a server that holds the directory but does not listen yet (migrations, --demo). */
const STARTING_SERVER_WAIT_MS = 120_000;

/** The server side: runs relayed command lines with `runCli` on the server's context. */
export function serverRelay(
  token: string,
  runCli: (
    argv: string[],
    runtimeFor: (command: string, io: CliIo) => CliRuntime,
    io: CliIo,
  ) => Promise<number>,
): CliRelay {
  return {
    token,
    async run(ctx, args, cwd, emit) {
      const command = args.find((a) => !a.startsWith('-')) ?? '';
      const io: CliIo = {
        out: (line) => emit({ stream: 'stdout', line }),
        err: (line) => emit({ stream: 'stderr', line }),
        tty: null,
        cwd,
      };
      if (!RELAYED_COMMANDS.has(command)) {
        io.err(`campus: \`${command}\` does not run through the server.`);
        return 2;
      }
      return runCli(['node', 'campus', ...args], (name) => servedRuntime(ctx, name, io), io);
    },
  };
}

/** Waits until a server that holds the directory says where it listens. */
async function serverAddress(dir: string, owner: DataDirOwner, io: CliIo): Promise<DataDirOwner> {
  const deadline = Date.now() + STARTING_SERVER_WAIT_MS;
  let current: DataDirOwner | null = owner;
  if (!current.url) io.err(`campus: waiting for the server (pid ${owner.pid}) to finish starting…`);
  while (current && !(current.url && current.token)) {
    if (Date.now() > deadline) {
      throw new CliError(
        `the server (pid ${owner.pid}) holds ${dir} but did not start listening; is it stuck?`,
        2,
      );
    }
    await sleep(250);
    current = readDataDirOwner(dir);
  }
  if (!current) throw new CliError(`the server (pid ${owner.pid}) stopped; run the command again.`, 2);
  return current;
}

/** The client side: sends `args` to the server that owns `dir`, prints its output, returns its exit code. */
export async function relayToServer(
  dir: string,
  owner: DataDirOwner,
  args: string[],
  io: CliIo,
): Promise<number> {
  const server = await serverAddress(dir, owner, io);
  const url = new URL(CLI_RELAY_PATH, server.url ?? '');
  // The server may listen on every interface; the relay answers on loopback only.
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  io.err(`campus: running through the server (pid ${server.pid}, ${server.url}) that owns ${dir}`);
  const payload = JSON.stringify({ args, cwd: io.cwd });
  return new Promise<number>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          [CLI_RELAY_TOKEN_HEADER]: server.token ?? '',
        },
      },
      (res) => {
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () =>
            reject(
              new CliError(
                `the server (pid ${server.pid}) refused the command: ${res.statusCode} ${text}`,
                1,
              ),
            ),
          );
          return;
        }
        let pending = '';
        let exit: number | null = null;
        const handle = (line: string) => {
          if (!line) return;
          const frame = JSON.parse(line) as RelayFrame;
          if ('exit' in frame) exit = frame.exit;
          else if (frame.stream === 'stdout') io.out(frame.line);
          else io.err(frame.line);
        };
        res.on('data', (chunk: string) => {
          pending += chunk;
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) handle(line);
        });
        res.on('end', () => {
          handle(pending);
          if (exit === null) {
            reject(
              new CliError(
                `lost the server (pid ${server.pid}) before the command finished; check its state`,
                1,
              ),
            );
          } else resolve(exit);
        });
        res.on('error', reject);
      },
    );
    req.on('error', (err) =>
      reject(new CliError(`cannot reach the server (pid ${server.pid}) at ${server.url}: ${err.message}`, 1)),
    );
    req.end(payload);
  });
}
