import { BusinessRule } from '../../shared/errors.js';

/**
 * The price to charge: the catalog's, or a caller's requested price within [0.8×, 1.2×] of it
 * (both ends allowed). 0 is a real price, never "absent"; a content with no catalog price is
 * refused, never free (Open edX falls back to 0 and gives it away).
 */
export function chargePrice(
  contentKey: string,
  catalogCents: number | null,
  requestedCents?: number | null,
): number {
  if (catalogCents === null) {
    throw new BusinessRule(
      'content_price_unavailable',
      `The catalog has no price for ${contentKey}; it cannot be redeemed.`,
    );
  }
  if (requestedCents === undefined || requestedCents === null) return catalogCents;
  // Integer arithmetic: requested/catalog within [4/5, 6/5].
  if (requestedCents * 5 < catalogCents * 4 || requestedCents * 5 > catalogCents * 6) {
    throw new BusinessRule(
      'invalid_requested_price',
      `Requested price ${requestedCents} for ${contentKey} is outside the acceptable interval around the catalog price of ${catalogCents}.`,
      { requested_price_cents: requestedCents, content_price_cents: catalogCents },
    );
  }
  return requestedCents;
}
