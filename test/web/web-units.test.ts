import { afterEach, describe, expect, it, vi } from 'vitest';
import { budgetStatus } from '../../web/admin/budget-summary.js';
import { parseEmails } from '../../web/admin/parse-emails.js';
import { publicPageUrl } from '../../web/records/share.js';

/** The web pages' small rules, without a browser. */
describe("the web pages' rules", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('parseEmails keeps valid emails lower-cased and once, and returns the rest as typed', () => {
    expect(
      parseEmails(
        ' Ada@Example.com, bob@example.com;ada@example.com\n\nnot-an-email  carol@x\tdan@example.org ',
      ),
    ).toEqual({
      valid: ['ada@example.com', 'bob@example.com', 'dan@example.org'],
      invalid: ['not-an-email', 'carol@x'],
    });
    expect(parseEmails('')).toEqual({ valid: [], invalid: [] });
  });

  it('budgetStatus: retired, scheduled, expired, expiring within 60 days, else active', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    const budget = (start: string, end: string, retired = false) => ({
      retired,
      subsidy_active_datetime: start,
      subsidy_expiration_datetime: end,
    });
    expect(budgetStatus(budget('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', true), now)).toBe('Retired');
    expect(budgetStatus(budget('2026-07-01T00:00:00Z', '2027-01-01T00:00:00Z'), now)).toBe('Scheduled');
    expect(budgetStatus(budget('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'), now)).toBe('Expired');
    // Exactly 60 days left is expiring; a day more is active.
    expect(budgetStatus(budget('2026-01-01T00:00:00Z', '2026-07-31T00:00:00Z'), now)).toBe('Expiring');
    expect(budgetStatus(budget('2026-01-01T00:00:00Z', '2026-08-01T00:00:00Z'), now)).toBe('Active');
  });

  it("publicPageUrl turns the share answer's API URL into the page under /app/ on this origin", () => {
    vi.stubGlobal('location', { origin: 'https://campus.example.com' });
    expect(publicPageUrl('https://campus.example.com/credentials/records/shared/abc123/')).toBe(
      'https://campus.example.com/app/records/shared/abc123/',
    );
    expect(publicPageUrl('/credentials/records/shared/def456/')).toBe(
      'https://campus.example.com/app/records/shared/def456/',
    );
  });
});
