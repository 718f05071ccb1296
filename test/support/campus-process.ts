/**
 * Campus as a child process (`node bin/campus.mjs serve`), for tests that must kill it (crash
 * recovery) or need what only the real process has: its pool, its scheduler, its exit.
 *
 * `startCampus()` spawns the server on a free port and resolves once `/healthz` answers 200;
 * `kill()` is `kill -9`. Each process has its own keep-alive HTTP agent, so that no socket of a
 * killed process is reused for the next one. `runCampusCli()` runs one `campus` command.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { findFreePort } from './postgres-cluster.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/campus.mjs');
const OUTPUT_LIMIT = 64 * 1024;

export interface CampusProcessOptions {
  databaseUrl: string;
  jwtSecret: string;
  /** More environment (LOG_LEVEL, SCHEDULER, STALE_TRANSACTION_MINUTES, ...). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** An answer: the status and the parsed JSON body (the raw text when it is not JSON). */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  /** A token, sent as `Authorization: JWT <token>`. */
  as?: string | null;
  body?: unknown;
  timeoutMs?: number;
}

export interface CampusProcess {
  base: string;
  port: number;
  pid: number;
  /**
   * One HTTP request. Rejects when no answer arrives (connection refused or reset, process
   * killed, timeout): the caller cannot know whether the request took effect.
   */
  request(call: HttpCall): Promise<HttpAnswer>;
  /** `kill -9`: no shutdown code runs and in-flight requests lose their answers. */
  kill(): Promise<void>;
  /** SIGTERM, the graceful shutdown; SIGKILL if it takes longer than 10 s. */
  stop(): Promise<void>;
  /** The last 64 kB the process wrote to stdout and stderr, for failure messages. */
  output(): string;
}

function env(options: CampusProcessOptions, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: options.databaseUrl,
    JWT_SECRET_KEY: options.jwtSecret,
    ...options.env,
    ...extra,
  };
}

/** One JSON request over `agent` (keep-alive); see `CampusProcess.request`. */
export function requestJson(agent: http.Agent, base: string, call: HttpCall): Promise<HttpAnswer> {
  const url = new URL(call.path, base);
  const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: call.method,
        agent,
        headers: {
          accept: 'application/json',
          ...(call.as ? { authorization: `JWT ${call.as}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () => {
          if (!res.complete) return reject(new Error('response incomplete'));
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.setTimeout(call.timeoutMs ?? 30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns `campus serve` on a free port and waits until `/healthz` answers 200. */
export async function startCampus(options: CampusProcessOptions): Promise<CampusProcess> {
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    env: env(options, { PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const gone = exited(child);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      agent.destroy();
      throw new Error(
        `campus serve exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`,
      );
    }
    const ready = await requestJson(agent, base, { method: 'GET', path: '/healthz', timeoutMs: 2_000 }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      agent.destroy();
      throw new Error(`campus serve did not answer /healthz within the timeout:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    base,
    port,
    pid: child.pid ?? 0,
    request: (call) => requestJson(agent, base, call),
    async kill() {
      child.kill('SIGKILL');
      await gone;
      agent.destroy();
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
      agent.destroy();
    },
    output: () => output,
  };
}

/** Runs one `campus` command (e.g. `['ledger', 'verify']`) against the database; never rejects. */
export function runCampusCli(
  args: string[],
  options: CampusProcessOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: env(options, {}), timeout: 120_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
