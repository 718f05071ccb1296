/**
 * The relay route that local `campus` commands use while the server owns the embedded database
 * (src/http/cli-relay.routes.ts). The end-to-end use, with real processes, is in
 * data-dir-owner.test.ts; this is who may use it and what it answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { serverRelay } from '../../src/cli/relay.js';
import { CLI_RELAY_PATH, CLI_RELAY_TOKEN_HEADER } from '../../src/http/cli-relay.routes.js';
import { type TestApp, testApp } from '../support/app.js';

const SECRET = 'relay-test-secret';

describe('local command relay', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ cliRelay: serverRelay(SECRET, runCli) });
  });
  afterAll(() => t.close());

  const relay = (args: string[], headers: Record<string, string> = { [CLI_RELAY_TOKEN_HEADER]: SECRET }) =>
    t.request({ method: 'POST', url: CLI_RELAY_PATH, payload: { args, cwd: '/' }, headers });
  const frames = (body: string) =>
    body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it("runs a command on the server's database and streams its output and exit code", async () => {
    const res = await relay(['outbox', 'list']);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    expect(frames(res.body)).toEqual([{ stream: 'stdout', line: '0 of 0 message(s)' }, { exit: 0 }]);
  });

  it('passes on usage errors with exit code 2, and never runs `serve` or `token`', async () => {
    const bad = frames((await relay(['jobs', 'make-coffee'])).body);
    expect(bad.at(-1)).toEqual({ exit: 2 });
    expect(bad).toContainEqual({
      stream: 'stderr',
      line: expect.stringContaining('Unknown job "make-coffee"'),
    });
    for (const command of ['serve', 'token']) {
      const res = frames((await relay([command, '--user-id', '1'])).body);
      expect(res.at(-1)).toEqual({ exit: 2 });
      expect(res[0]).toEqual({
        stream: 'stderr',
        line: `campus: \`${command}\` does not run through the server.`,
      });
    }
  });

  it('refuses without the secret (401), with a wrong one (403), and even to an operator token (403)', async () => {
    const none = await relay(['outbox', 'list'], {});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error_code: 'cli_token_missing' });
    const wrong = await relay(['outbox', 'list'], { [CLI_RELAY_TOKEN_HEADER]: 'guess' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ error_code: 'cli_token_invalid' });
    const operator = await t.token({ userId: 1, roles: ['enterprise_openedx_operator:*'], isStaff: true });
    const asOperator = await relay(['outbox', 'list'], { authorization: `JWT ${operator}` });
    expect(asOperator.statusCode).toBe(403);
  });

  it('does not exist for another machine, even with the secret', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: CLI_RELAY_PATH,
      payload: { args: ['outbox', 'list'], cwd: '/' },
      headers: { [CLI_RELAY_TOKEN_HEADER]: SECRET },
      remoteAddress: '10.1.2.3',
    });
    expect(res.statusCode).toBe(404);
  });

  it('is not part of the public API description', async () => {
    const spec = (await t.request({ method: 'GET', url: '/openapi.json' })).json() as { paths: object };
    expect(Object.keys(spec.paths)).not.toContain(CLI_RELAY_PATH);
  });
});
