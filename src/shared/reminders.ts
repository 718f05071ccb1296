import type { Config } from '../config.js';
import type { Clock } from './clock.js';
import { BusinessRule } from './errors.js';

/**
 * Reminders an admin sends by hand (assignments, learner credit requests) go to one learner at most
 * once per `REMINDER_INTERVAL_HOURS`: twenty clicks on "remind" were twenty emails to one address.
 * Null when there is no limit.
 */
export function reminderWindowStart(deps: { config: Config; clock: Clock }): Date | null {
  const hours = deps.config.reminderIntervalHours;
  return hours > 0 ? new Date(deps.clock.now().getTime() - hours * 3600_000) : null;
}

export const reminderTooSoon = (hours: number, extra: Record<string, unknown> = {}) =>
  new BusinessRule(
    'reminder_too_soon',
    `A learner is reminded at most once every ${hours} hour(s); try again later.`,
    extra,
  );

/** Admin reminders per admin, across assignments and requests (src/http/rate-limit.ts). */
export const ADMIN_REMINDER_RATE_LIMIT = {
  name: 'admin-reminders',
  max: 60,
  windowSeconds: 3600,
  by: 'user',
} as const;
