import { createHash } from 'node:crypto';

/**
 * What an idempotency key commits its caller to. A retry with the same key must describe the same
 * movement of money; anything else is a conflict rather than a silent return of the old row.
 */
export function fingerprint(fields: {
  kind: string;
  quantity: number;
  lmsUserId?: number | null;
  contentKey?: string | null;
  policyUuid?: string | null;
}): string {
  const canonical = JSON.stringify([
    fields.kind,
    fields.quantity,
    fields.lmsUserId ?? null,
    fields.contentKey ?? null,
    fields.policyUuid ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/**
 * The default key of a redemption: stable for a retry of the same redemption, new after each
 * reversal or failure. Including the learner's earlier inactive redemptions of the content means a
 * learner who was refunded and redeems again is charged again (Open edX could hand back the old,
 * reversed transaction for free).
 */
export function redemptionIdempotencyKey(input: {
  subsidyUuid: string;
  lmsUserId: number;
  contentKey: string;
  policyUuid: string;
  priorInactiveTransactionUuids: string[];
}): string {
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        input.lmsUserId,
        input.contentKey,
        input.policyUuid,
        [...input.priorInactiveTransactionUuids].sort(),
      ]),
    )
    .digest('hex')
    .slice(0, 32);
  return `ledger-for-subsidy-${input.subsidyUuid}-${hash}`;
}
