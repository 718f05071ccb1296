/**
 * Where a command's output goes. A command run in its own process writes to stdout and stderr; a
 * command relayed to the running server (src/cli/relay.ts) writes into the HTTP answer that the
 * calling `campus` process prints. Commands write only through this, never to `console`.
 */
export interface CliIo {
  /** One line of the command's result (stdout: parseable, e.g. `--json`). */
  out(line: string): void;
  /** One line of progress or diagnostics (stderr). */
  err(line: string): void;
  /** The terminal for a progress bar, when stderr is one; null elsewhere (logs, pipes, relayed). */
  readonly tty: NodeJS.WriteStream | null;
  /** Relative file arguments are read from here: the caller's directory, also when relayed. */
  readonly cwd: string;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: process.stderr.isTTY ? process.stderr : null,
  cwd: process.cwd(),
};
