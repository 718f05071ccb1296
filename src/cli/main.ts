import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { signDevToken } from '../http/auth.js';
import { findJob, jobs, runJob } from '../jobs.js';
import { listOutbox } from '../modules/notifications/index.js';
import { type Principal, parseRoleGrant } from '../shared/principal.js';
import { CliError } from './errors.js';
import { DumpFileError, importCatalogCommand, readCatalogDump } from './import.js';
import { type CliIo, processIo } from './io.js';
import { verifyCommand } from './ledger.js';
import { progressReporter } from './progress.js';
import { ProvisionFileError, provisionCommand, readProvisioningRequest } from './provision.js';
import { relayToServer, serverRelay } from './relay.js';
import { type CliRuntime, localRuntime, ServerOwnsDataDir } from './runtime.js';
import { seedDemo } from './seed.js';
import { serve } from './serve.js';

export { CliError } from './errors.js';

/** The CLI acts as a system operator: it runs on the server, with the server's configuration. */
const cliOperator: Principal = {
  lmsUserId: 0,
  username: 'campus-cli',
  email: null,
  isStaff: true,
  grants: [],
};

/** A dump that cannot be read or is not a dump is bad input: exit code 2, nothing imported. */
const readDump = (file: string) =>
  readCatalogDump(file).catch((err: unknown) => {
    throw err instanceof DumpFileError ? new CliError(err.message, 2) : err;
  });

const integer = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
  return Number(value);
};

export function buildCli(runtime: CliRuntime): Command {
  const { io, withContext } = runtime;
  const program = new Command('campus')
    .description('Campus: catalog, credentials and enterprise learner credit')
    // Set before subcommands are added so that they inherit it: runCli decides the exit code.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    })
    .showHelpAfterError();

  program
    .command('serve')
    .description('serve the HTTP API (same as npm start)')
    .option('--port <port>', 'port to listen on (default: $PORT or 8000)', integer('--port'))
    .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
    .option('--demo', 'load the demo data at start-up (also CAMPUS_DEMO=1)')
    .action(async (opts: { port?: number; host?: string; demo?: boolean }) => {
      // While it owns an embedded database, other `campus` commands run through it.
      await serve(opts, (token) => serverRelay(token, runCli));
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const { applied } = await withContext((ctx) => migrateToLatest(ctx.db), { migrate: false });
      io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    });

  program
    .command('token')
    .description('print a signed development JWT (HS256 with JWT_SECRET_KEY)')
    .requiredOption('--user-id <id>', 'lms_user_id', integer('--user-id'))
    .option('--username <name>', 'username (default: user<id>)')
    .option('--email <email>', 'email')
    .option('--staff', 'set the administrator (staff) claim', false)
    .option(
      '--role <role...>',
      'role grant, e.g. enterprise_admin:<uuid> or enterprise_openedx_operator:*',
      [],
    )
    .option('--expires-in <seconds>', 'lifetime in seconds', integer('--expires-in'), 8 * 3600)
    .action(
      async (opts: {
        userId: number;
        username?: string;
        email?: string;
        staff: boolean;
        role: string[];
        expiresIn: number;
      }) => {
        const config = loadConfig();
        if (!config.jwt.secret) throw new CliError('JWT_SECRET_KEY is not set; cannot sign HS256 tokens.', 2);
        for (const role of opts.role) {
          const grant = parseRoleGrant(role);
          if (typeof grant === 'string') throw new CliError(`--role ${role}: ${grant}`, 2);
        }
        const token = await signDevToken(config.jwt.secret, {
          userId: opts.userId,
          username: opts.username ?? `user${opts.userId}`,
          email: opts.email ?? null,
          isStaff: opts.staff,
          roles: opts.role,
          expiresIn: opts.expiresIn,
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
        });
        io.out(token);
      },
    );

  program
    .command('seed')
    .description('load demo data')
    .option('--demo', 'load the demo catalog, enterprise and learners')
    .action(async (opts: { demo?: boolean }) => {
      if (!opts.demo) throw new CliError('Say what to seed: campus seed --demo', 2);
      const report = await withContext((ctx) => seedDemo(ctx, io));
      if (report.rejected.length) throw new CliError(`${report.rejected.length} record(s) rejected.`, 1);
    });

  program
    .command('import')
    .description('load data from files')
    .command('catalog')
    .description('import a course-discovery-shaped catalog dump (JSON); safe to repeat')
    .argument('<file>', 'the dump, e.g. data/catalog-sample.json')
    .action(async (file: string) => {
      const dump = await readDump(path.resolve(io.cwd, file));
      const report = await withContext((ctx) => importCatalogCommand(ctx, dump, io));
      if (report.rejected.length) throw new CliError(`${report.rejected.length} record(s) rejected.`, 1);
    });

  program
    .command('provision')
    .description('provision an enterprise customer from a request file, as POST /access/api/v1/provisioning')
    .option('--file <file>', 'the request (JSON); the same file again changes nothing')
    .option('--resume <uuid>', 'run a failed provisioning workflow again from where it stopped')
    .action(async (opts: { file?: string; resume?: string }) => {
      if (!opts.file === !opts.resume)
        throw new CliError('Give either --file <request.json> or --resume <uuid>.', 2);
      try {
        const what = opts.file
          ? { request: await readProvisioningRequest(path.resolve(io.cwd, opts.file)) }
          : { resume: opts.resume ?? '' };
        const result = await withContext((ctx) => provisionCommand(ctx, cliOperator, what, io));
        io.out(JSON.stringify(result, null, 2));
      } catch (err) {
        throw err instanceof ProvisionFileError ? new CliError(err.message, 2) : err;
      }
    });

  const ledger = program.command('ledger').description('the learner-credit ledgers');
  ledger
    .command('verify')
    .description('recompute every balance from the journal and report mismatches (exit 1 if any)')
    .option('--ledger <uuid...>', 'only these ledgers')
    .option('--subsidy <uuid...>', "only these subsidies' ledgers")
    .action(async (opts: { ledger?: string[]; subsidy?: string[] }) => {
      const code = await withContext((ctx) => verifyCommand(ctx, opts, io));
      if (code !== 0) throw new CliError('ledger verify found mismatches', code);
    });

  const outbox = program.command('outbox').description('emails queued by Campus');
  outbox
    .command('list')
    .description('list outbox messages, newest first')
    .option('--status <status>', 'pending | sending | sent | failed')
    .option('--limit <n>', 'how many', integer('--limit'), 50)
    .action(async (opts: { status?: 'pending' | 'sending' | 'sent' | 'failed'; limit: number }) => {
      if (opts.status && !['pending', 'sending', 'sent', 'failed'].includes(opts.status)) {
        throw new CliError(`--status must be pending, sending, sent or failed (got ${opts.status})`, 2);
      }
      await withContext(async (ctx) => {
        const { count, rows } = await listOutbox(ctx, cliOperator, {
          status: opts.status,
          offset: 0,
          limit: opts.limit,
        });
        for (const r of rows) {
          io.out(
            `${r.created.toISOString()}  ${r.status.padEnd(7)}  ${r.template.padEnd(28)}  ${r.to_address}  ${r.subject}`,
          );
        }
        io.out(`${rows.length} of ${count} message(s)`);
      });
    });

  program
    .command('jobs')
    .description(`run a background job once: ${jobs.map((j) => j.name).join(', ')}`)
    .argument('<name>', 'job name')
    .option('--dry-run', 'report what would change without changing it', false)
    .option('--as-of <datetime>', 'evaluate as if it were this time (ISO 8601)')
    .option('--days-before-start <days>', 'nudge-assignments: days before the run starts (default 30)')
    .option('--json', 'print the result as JSON', false)
    .action(
      async (
        name: string,
        opts: { dryRun: boolean; asOf?: string; daysBeforeStart?: string; json: boolean },
      ) => {
        const job = findJob(name);
        if (!job) throw new CliError(`Unknown job "${name}". Jobs: ${jobs.map((j) => j.name).join(', ')}`, 2);
        const asOf = opts.asOf ? new Date(opts.asOf) : undefined;
        if (asOf && Number.isNaN(asOf.getTime())) throw new CliError(`--as-of: not a date: ${opts.asOf}`, 2);
        const daysBeforeStart = opts.daysBeforeStart === undefined ? undefined : Number(opts.daysBeforeStart);
        if (daysBeforeStart !== undefined && !(Number.isInteger(daysBeforeStart) && daysBeforeStart >= 1))
          throw new CliError(`--days-before-start: not a whole number ≥ 1: ${opts.daysBeforeStart}`, 2);
        if (asOf && !opts.dryRun && asOf.getTime() > Date.now())
          throw new CliError('--as-of: a future date expires credit early; use it with --dry-run', 2);
        await withContext(async (ctx) => {
          const progress = progressReporter(name, io);
          const outcome = await runJob(ctx, job, {
            dryRun: opts.dryRun,
            asOf,
            daysBeforeStart,
            onProgress: (done, total) => progress.update(done, total),
          }).finally(() => progress.stop());
          if (!outcome.ran) throw new CliError(`Job ${name} is already running in another process.`, 1);
          io.out(opts.json ? JSON.stringify(outcome.result) : `${name}: ${JSON.stringify(outcome.result)}`);
        });
      },
    );

  return program;
}

/**
 * Runs one command line (`argv` as process.argv: node, script, args) and returns its exit code.
 * `runtimeFor` says how the command reaches the database: by default on its own; when the server
 * owns the embedded database, the command line is relayed to the server and runs there.
 */
export async function runCli(
  argv: string[],
  runtimeFor: (command: string, io: CliIo) => CliRuntime = localRuntime,
  io: CliIo = processIo,
): Promise<number> {
  const args = argv.slice(2);
  const command = args.find((a) => !a.startsWith('-')) ?? 'campus';
  try {
    try {
      await buildCli(runtimeFor(command, io)).parseAsync(argv);
      return 0;
    } catch (err) {
      if (!(err instanceof ServerOwnsDataDir)) throw err;
      // Nothing was written yet: the directory is taken before the database is opened.
      return await relayToServer(err.dir, err.owner, args, io);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help')
      return 0;
    if (typeof code === 'string' && code.startsWith('commander.')) return 2;
    const message = err instanceof Error ? err.message : String(err);
    io.err(`campus: ${message}`);
    return err instanceof CliError
      ? err.exitCode
      : err instanceof Error && err.name === 'ConfigError'
        ? 2
        : 1;
  }
}

const isEntry = process.argv[1] && /cli\/main\.(ts|js)$/.test(process.argv[1]);
if (isEntry) {
  const code = await runCli(process.argv);
  // `serve` keeps running; every other command ends here.
  if (process.argv[2] !== 'serve' || code !== 0) process.exit(code);
}
