/** Exit codes: 0 done, 1 the command ran and found a problem, 2 bad usage or configuration. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
