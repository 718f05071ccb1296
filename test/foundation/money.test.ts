import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToDollarString, centsToDollars, dollarsToCents, formatUsd } from '../../src/shared/money.js';

describe('dollarsToCents', () => {
  it.each([
    [49, 4900],
    ['49.00', 4900],
    ['49', 4900],
    ['49.5', 4950],
    [77.77, 7777],
    ['77.77', 7777],
    [0.1, 10],
    [1.005e2, 10050],
    [0, 0],
    [' 12.30 ', 1230],
    ['12.300', 1230],
    ['.5', 50],
    ['3.', 300],
  ])('converts %j to %i cents exactly', (dollars, cents) => {
    expect(dollarsToCents(dollars)).toBe(cents);
  });

  it.each([
    -1,
    '-1',
    '1.005',
    0.1 + 0.2,
    '',
    '.',
    'abc',
    '1e3',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '1,00',
  ])('refuses %j', (dollars) => {
    expect(() => dollarsToCents(dollars)).toThrow(RangeError);
  });

  it('round-trips every amount of cents through its dollar string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (cents) => {
        expect(dollarsToCents(centsToDollarString(cents))).toBe(cents);
      }),
    );
  });
});

describe('centsToDollarString', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [4900, '49.00'],
    [7777, '77.77'],
    [-150, '-1.50'],
  ])('writes %i cents as %s', (cents, text) => {
    expect(centsToDollarString(cents)).toBe(text);
  });
});

describe('centsToDollars and formatUsd', () => {
  it('write cents as the reference does: dollars in JSON, $1,234.56 in messages', () => {
    expect(centsToDollars(4950)).toBe(49.5);
    expect(centsToDollars(0)).toBe(0);
    expect(formatUsd(123_456)).toBe('$1,234.56');
    expect(formatUsd(5)).toBe('$0.05');
    expect(formatUsd(-100_000_000)).toBe('-$1,000,000.00');
  });
});
