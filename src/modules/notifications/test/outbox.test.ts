import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryDb, personas, type TestApp, testApp } from '../../../../test/support/app.js';
import { createPgDatabase, describePg } from '../../../../test/support/postgres.js';
import { testConfig } from '../../../config.js';
import type { AppContext } from '../../../context.js';
import type { Db } from '../../../database.js';
import { findJob, runJob } from '../../../jobs.js';
import { FixedClock } from '../../../shared/clock.js';
import { randomIds } from '../../../shared/ids.js';
import { backoffMs } from '../deliver.js';
import { deliverPending, type EmailTemplate, html, type MailTransport, sendEmail } from '../index.js';

const welcome: EmailTemplate<{ name: string; enterprise: string }> = {
  name: 'test.welcome',
  render: (c) => ({
    subject: `Welcome to ${c.enterprise}`,
    text: `Hello ${c.name}`,
    html: html`<p>Hello ${c.name}</p>`,
  }),
};

function contextFor(
  db: Db,
  clock = new FixedClock('2026-06-01T12:00:00Z'),
  smtpUrl: string | null = null,
): AppContext {
  return { db, clock, ids: randomIds, config: { ...testConfig(), smtpUrl }, log: pino({ level: 'silent' }) };
}

/** A transport that records what it sends and fails while `failing` is set. */
function recordingTransport() {
  const sent: string[] = [];
  const transport: MailTransport & { sent: string[]; failing: boolean } = {
    sent,
    failing: false,
    async send(mail) {
      if (this.failing) throw new Error('421 try again later');
      sent.push(`${mail.to}: ${mail.subject}`);
    },
    close() {},
  };
  return transport;
}

describe('sendEmail', () => {
  let db: Db;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());

  it('queues a rendered message in the caller transaction, escaping HTML', async () => {
    const ctx = contextFor(db);
    const row = await db.transaction((trx) =>
      sendEmail(ctx, trx, {
        to: 'ana@example.com',
        template: welcome,
        context: { name: '<Ana>', enterprise: 'Acme' },
      }),
    );
    expect(row).toMatchObject({ status: 'pending', subject: 'Welcome to Acme', template: 'test.welcome' });
    expect(row.html_body).toBe('<p>Hello &lt;Ana&gt;</p>');
    expect(row.context).toEqual({ name: '<Ana>', enterprise: 'Acme' });
  });

  it('queues nothing when the change that sent it rolls back', async () => {
    const ctx = contextFor(db);
    await expect(
      db.transaction(async (trx) => {
        await sendEmail(ctx, trx, {
          to: 'rolled@example.com',
          template: welcome,
          context: { name: 'x', enterprise: 'y' },
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow();
    const rows = await db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('to_address', '=', 'rolled@example.com')
      .execute();
    expect(rows).toEqual([]);
  });

  it('queues one message per idempotency key', async () => {
    const ctx = contextFor(db);
    const send = () =>
      db.transaction((trx) =>
        sendEmail(ctx, trx, {
          to: 'once@example.com',
          template: welcome,
          context: { name: 'x', enterprise: 'y' },
          idempotencyKey: 'welcome:42',
        }),
      );
    const first = await send();
    const second = await send();
    expect(second.uuid).toBe(first.uuid);
    const rows = await db.kysely
      .selectFrom('outbox')
      .select('uuid')
      .where('to_address', '=', 'once@example.com')
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describe('delivery', () => {
  it('sends due messages once and records them as sent', async () => {
    const db = await memoryDb();
    const ctx = contextFor(db);
    const transport = recordingTransport();
    for (const to of ['a@example.com', 'b@example.com']) {
      await db.transaction((trx) =>
        sendEmail(ctx, trx, { to, template: welcome, context: { name: to, enterprise: 'E' } }),
      );
    }
    expect(await deliverPending(ctx, transport)).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(await deliverPending(ctx, transport)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(transport.sent.sort()).toEqual(['a@example.com: Welcome to E', 'b@example.com: Welcome to E']);
    const statuses = await db.kysely.selectFrom('outbox').select(['status', 'attempts', 'sent_at']).execute();
    expect(statuses.every((s) => s.status === 'sent' && s.attempts === 1 && s.sent_at !== null)).toBe(true);
    await db.close();
  });

  it('retries a failed send with backoff, then gives up after the last attempt', async () => {
    const db = await memoryDb();
    const clock = new FixedClock('2026-06-01T12:00:00Z');
    const ctx = contextFor(db, clock);
    const transport = recordingTransport();
    transport.failing = true;
    await db.transaction((trx) =>
      sendEmail(ctx, trx, {
        to: 'late@example.com',
        template: welcome,
        context: { name: 'x', enterprise: 'y' },
      }),
    );
    expect(await deliverPending(ctx, transport, { maxAttempts: 3 })).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    });
    // Not due again until the backoff has passed.
    expect(await deliverPending(ctx, transport, { maxAttempts: 3 })).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    clock.advance(backoffMs(1));
    expect(await deliverPending(ctx, transport, { maxAttempts: 3 })).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    });
    clock.advance(backoffMs(2));
    expect(await deliverPending(ctx, transport, { maxAttempts: 3 })).toEqual({
      sent: 0,
      retrying: 0,
      failed: 1,
    });
    const row = await db.kysely.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_error: '421 try again later' });
    clock.advance(backoffMs(3) * 10);
    transport.failing = false;
    expect(await deliverPending(ctx, transport, { maxAttempts: 3 })).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    await db.close();
  });

  it('takes over a message whose worker died after claiming it', async () => {
    const db = await memoryDb();
    const clock = new FixedClock('2026-06-01T12:00:00Z');
    const ctx = contextFor(db, clock);
    await db.transaction((trx) =>
      sendEmail(ctx, trx, {
        to: 'orphan@example.com',
        template: welcome,
        context: { name: 'x', enterprise: 'y' },
      }),
    );
    // A worker claims the message and is killed before sending.
    await db.kysely
      .updateTable('outbox')
      .set({ status: 'sending', claimed_until: new Date(clock.now().getTime() + 60_000) })
      .execute();
    const transport = recordingTransport();
    expect((await deliverPending(ctx, transport, { claimMs: 60_000 })).sent).toBe(0);
    clock.advance(60_001);
    expect((await deliverPending(ctx, transport, { claimMs: 60_000 })).sent).toBe(1);
    await db.close();
  });

  it('delivers through a real SMTP server with the deliver-email job', async () => {
    const received: Array<{ to: string; data: string }> = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => {
          data += chunk.toString();
        });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const db = await memoryDb();
    const ctx = contextFor(db, new FixedClock('2026-06-01T12:00:00Z'), `smtp://127.0.0.1:${port}`);
    try {
      await db.transaction((trx) =>
        sendEmail(ctx, trx, {
          to: 'real@example.com',
          replyTo: 'learner@example.com',
          template: welcome,
          context: { name: 'Real', enterprise: 'Acme' },
        }),
      );
      const job = findJob('deliver-email');
      if (!job) throw new Error('deliver-email job missing');
      expect(await runJob(ctx, job)).toEqual({ ran: true, result: { sent: 1, retrying: 0, failed: 0 } });
      expect(received).toHaveLength(1);
      expect(received[0]?.to).toBe('real@example.com');
      expect(received[0]?.data).toMatch(/Subject: Welcome to Acme/);
      expect(received[0]?.data).toMatch(/Reply-To: learner@example.com/);
    } finally {
      await db.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describePg('delivery by several workers', () => {
  it('sends each message exactly once when workers in different processes race', async () => {
    const pg = await createPgDatabase();
    const { openPostgres } = await import('../../../database.js');
    const otherProcess = openPostgres(pg.url, 5);
    try {
      const ctx = contextFor(pg.db);
      await pg.db.transaction(async (trx) => {
        for (let i = 0; i < 60; i++) {
          await sendEmail(ctx, trx, {
            to: `l${i}@example.com`,
            template: welcome,
            context: { name: `${i}`, enterprise: 'E' },
          });
        }
      });
      const transport = recordingTransport();
      const slow: MailTransport = {
        async send(mail) {
          await new Promise((r) => setTimeout(r, 2));
          await transport.send(mail);
        },
        close() {},
      };
      const reports = await Promise.all([
        deliverPending(ctx, slow, { batchSize: 7 }),
        deliverPending(contextFor(otherProcess), slow, { batchSize: 7 }),
        deliverPending(ctx, slow, { batchSize: 7 }),
      ]);
      expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(60);
      expect(new Set(transport.sent).size).toBe(60);
      expect(transport.sent).toHaveLength(60);
    } finally {
      await otherProcess.close();
      await pg.drop();
    }
  });
});

describe('GET /api/v1/outbox/', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof personas>>;
  beforeAll(async () => {
    t = await testApp();
    as = await personas(t);
    const ctx = t.app.campus;
    await t.db.transaction(async (trx) => {
      for (const to of ['x@example.com', 'y@example.com', 'z@example.com']) {
        await sendEmail(ctx, trx, { to, template: welcome, context: { name: to, enterprise: 'E' } });
      }
    });
  });
  afterAll(() => t.close());

  it('lists queued messages for an operator, filtered and paged', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/api/v1/outbox/?status=pending&page_size=2',
      as: as.operator,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBe(3);
    expect(body.results).toHaveLength(2);
    expect(body.results[0]).toMatchObject({
      status: 'pending',
      template: 'test.welcome',
      subject: 'Welcome to E',
    });
    expect(body.next).toContain('status=pending');
    const one = await t.request({ method: 'GET', url: '/api/v1/outbox/?to=y%40example.com', as: as.staff });
    expect(one.json().results.map((r: { to: string }) => r.to)).toEqual(['y@example.com']);
  });

  it('refuses admins and learners', async () => {
    for (const who of [as.adminA, as.learnerA]) {
      const res = await t.request({ method: 'GET', url: '/api/v1/outbox/', as: who });
      expect(res.statusCode).toBe(403);
    }
  });

  it('refuses an unknown status with 400', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/outbox/?status=lost', as: as.operator });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.status).toBeDefined();
  });
});

describe('the in-process scheduler', () => {
  it('delivers queued email on its own when SMTP is configured', async () => {
    const { startScheduler } = await import('../../../jobs.js');
    const sent: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          sent.push(session.envelope.rcptTo.map((r) => r.address).join(','));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const db = await memoryDb();
    const ctx = contextFor(db, new FixedClock('2026-06-01T12:00:00Z'), `smtp://127.0.0.1:${port}`);
    const stop = startScheduler(ctx);
    try {
      await db.transaction((trx) =>
        sendEmail(ctx, trx, {
          to: 'scheduled@example.com',
          template: welcome,
          context: { name: 'x', enterprise: 'y' },
        }),
      );
      await vi.waitFor(() => expect(sent).toEqual(['scheduled@example.com']), {
        timeout: 15_000,
        interval: 100,
      });
    } finally {
      await stop();
      await db.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
