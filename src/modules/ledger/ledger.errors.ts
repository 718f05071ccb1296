import { BusinessRule, Conflict, NotFound } from '../../shared/errors.js';

export const ledgerNotFound = (uuid: string) => new NotFound(`No ledger ${uuid}.`, 'ledger_not_found');
export const transactionNotFound = (uuid: string) =>
  new NotFound(`No transaction ${uuid}.`, 'transaction_not_found');

export const balanceExceeded = (balance: number, quantity: number) =>
  new BusinessRule(
    'ledger_balance_exceeded',
    `A transaction of ${-quantity} was not created because it would exceed the ledger balance of ${balance}.`,
    { balance, requested: -quantity },
  );

/** A sum that would leave the range of exactly representable whole cents (±2^53): refused, not rounded. */
export const amountOutOfRange = (what: string) =>
  new BusinessRule(
    'amount_out_of_range',
    `The ${what} would pass ${Number.MAX_SAFE_INTEGER} cents, the largest amount Campus keeps exactly.`,
  );

export const idempotencyKeyConflict = (key: string) =>
  new Conflict(
    `The idempotency key ${key} was already used for a different transaction; use a new key for a new transaction.`,
    'idempotency_key_conflict',
  );
