import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../support/app.js';

const UNKNOWN = '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f';
const TIMEOUT_MS = 1_000;

/** What a slow client sees: the first bytes of the answer (if any) and when its connection ended. */
async function slowBody(port: number, token: string): Promise<{ answer: string; elapsedMs: number }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const started = Date.now();
  socket.write(
    [
      `POST /credentials/records/programs/${UNKNOWN}/share HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Authorization: JWT ${token}`,
      'Content-Type: application/json',
      'Content-Length: 1000',
      '',
      '{"username": "',
    ].join('\r\n'),
  );
  // One byte every 100 ms: never idle long enough for a socket idle timeout, done only after 100 s.
  const trickle = setInterval(() => {
    if (!socket.destroyed) socket.write('a');
  }, 100);
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk.toString('latin1');
  });
  const giveUp = setTimeout(() => socket.destroy(), 10_000);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  clearInterval(trickle);
  clearTimeout(giveUp);
  return { answer, elapsedMs: Date.now() - started };
}

describe('the time a client gets to send its request (REQUEST_TIMEOUT_MS)', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await testApp({ config: { requestTimeoutMs: TIMEOUT_MS } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => t.close());

  it('answers 408 and closes the connection of a body trickled byte by byte (slow loris)', async () => {
    const token = await t.token({ userId: 42, username: 'user42' });
    const { answer, elapsedMs } = await slowBody(port, token);
    // The deadline, plus Node's check interval (a quarter of it), plus slack for a busy machine.
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS * 4);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still serves a request whose body arrives in time', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/credentials/records/programs/${UNKNOWN}/share`, {
      method: 'POST',
      headers: {
        authorization: `JWT ${await t.token({ userId: 42, username: 'user42' })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ username: 'user42' }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error_code: string }).error_code).toBe('program_not_found');
  });
});
