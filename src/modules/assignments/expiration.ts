import type { AssignmentRow } from './schema.js';

export const NUM_DAYS_BEFORE_AUTO_EXPIRATION = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ExpirationReason = 'SUBSIDY_EXPIRED' | 'ENROLLMENT_DATE_PASSED' | 'NINETY_DAYS_PASSED';

export interface Expiration {
  date: Date;
  reason: ExpirationReason;
}

/** allocated_at + 90 days: reminders do not move it. */
export const allocationTimeout = (a: Pick<AssignmentRow, 'allocated_at'>) =>
  new Date(a.allocated_at.getTime() + NUM_DAYS_BEFORE_AUTO_EXPIRATION * DAY_MS);

/**
 * The earliest of the subsidy's expiration, the preferred run's enroll-by date and the 90-day
 * allocation timeout; on a tie the reason listed first wins (subsidy, deadline, timeout).
 */
export function earliestPossibleExpiration(
  a: Pick<AssignmentRow, 'allocated_at'>,
  facts: { subsidyExpiration: Date | null; enrollBy: Date | null },
): Expiration {
  const candidates: Array<{ date: Date | null; reason: ExpirationReason }> = [
    { date: facts.subsidyExpiration, reason: 'SUBSIDY_EXPIRED' },
    { date: facts.enrollBy, reason: 'ENROLLMENT_DATE_PASSED' },
    { date: allocationTimeout(a), reason: 'NINETY_DAYS_PASSED' },
  ];
  let best: Expiration | null = null;
  for (const c of candidates) {
    if (c.date && (!best || c.date.getTime() < best.date.getTime()))
      best = { date: c.date, reason: c.reason };
  }
  return best as Expiration;
}
