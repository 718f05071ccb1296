/**
 * What a ledger (and the subsidy over it) counts in: cents of US dollars, or seats. Shared, not
 * the ledger's own: a subsidy's table declares it too, and a module's table types import nothing
 * of another module (the database type is composed from them; see src/database.ts).
 */
export type LedgerUnit = 'usd_cents' | 'seats';

/**
 * Dollars as clients send them (49, 77.77, "49.00", "49.5") → integer cents, exactly
 * (docs/decisions/0014-money-in-integer-cents.md): the decimal text is split at the point, never
 * multiplied as a float. Throws RangeError for anything that is not a non-negative amount with at
 * most two significant decimals.
 */
export function dollarsToCents(value: number | string): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not an amount of dollars: ${value}`);
    // String(77.77) is "77.77": the shortest decimal that round-trips, which is what was meant.
    text = String(value);
  } else {
    text = value.trim();
  }
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || !/\d/.test(text)) throw new RangeError(`not an amount of dollars: ${JSON.stringify(value)}`);
  const whole = m[1] || '0';
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) throw new RangeError(`more than two decimals: ${JSON.stringify(value)}`);
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount too large: ${JSON.stringify(value)}`);
  return cents;
}

/** Integer cents → "49.00", the decimal string course-discovery answers with. */
export function centsToDollarString(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not an integer amount of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Integer cents → dollars as a JSON number (4950 → 49.5), where an Open edX response carries dollars. */
export function centsToDollars(cents: number): number {
  return cents / 100;
}

/** `$1,234.56`: cents as the reference writes them in messages. */
export function formatUsd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}$${whole}.${String(abs % 100).padStart(2, '0')}`;
}
