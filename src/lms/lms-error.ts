/**
 * Why a call to the LMS did not give the answer asked for, and what that means for the caller:
 * `mayHaveActed` is false only when the LMS certainly did nothing (it refused, or was never
 * reached), so a reservation may be released at once; when true, the LMS may have enrolled the
 * learner and only asking it again (calls are idempotent by transaction id) can tell.
 */
export class LmsError extends Error {
  constructor(
    message: string,
    readonly kind: 'refused' | 'unavailable' | 'bad-answer',
    readonly mayHaveActed: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'LmsError';
  }
}
