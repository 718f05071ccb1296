// @ts-check
// What a budget's card (budgets page) and header (budget page) show: status, type, figures, bar.
import { date, h, money, POLICY_TYPES } from '../lib.js';

/** @typedef {import('../api.js').ApiAnswer<'/access/api/v1/subsidy-access-policies/{uuid}/'>} Policy */

export const POLICIES = '/access/api/v1/subsidy-access-policies/';
export const POLICY = '/access/api/v1/subsidy-access-policies/{uuid}/';

const DAY = 24 * 3600 * 1000;

/**
 * Scheduled / Active / Expiring (within 60 days) / Expired / Retired. A date the API does not
 * know (no subsidy) bounds nothing.
 * @param {Pick<Policy, 'retired' | 'subsidy_active_datetime' | 'subsidy_expiration_datetime'>} p
 */
export function budgetStatus(p, now = Date.now()) {
  if (p.retired) return 'Retired';
  const start = p.subsidy_active_datetime ? Date.parse(p.subsidy_active_datetime) : -Infinity;
  const end = p.subsidy_expiration_datetime ? Date.parse(p.subsidy_expiration_datetime) : Infinity;
  if (now < start) return 'Scheduled';
  if (now >= end) return 'Expired';
  if (end - now <= 60 * DAY) return 'Expiring';
  return 'Active';
}

/**
 * @typedef {{ available: number, allocated: number, spent: number }} Figures
 * @param {Pick<Policy, 'aggregates'>} p
 * @returns {Figures}
 */
export const figures = (p) => {
  const a = p.aggregates;
  return {
    available: a.spend_available_usd_cents,
    allocated: a.amount_allocated_usd_cents,
    spent: a.amount_redeemed_usd_cents,
  };
};

/** @param {Figures} f */
export function stackedBar(f) {
  const total = f.available + f.allocated + f.spent || 1;
  /**
   * @param {string} cls
   * @param {number} cents
   * @param {string} label
   */
  const part = (cls, cents, label) =>
    h('span', {
      class: `bar-${cls}`,
      style: `width:${(100 * cents) / total}%`,
      title: `${label} ${money(cents)}`,
    });
  return h(
    'div',
    {
      class: 'bar',
      role: 'img',
      'aria-label': `Spent ${money(f.spent)}, allocated ${money(f.allocated)}, available ${money(f.available)}`,
    },
    part('spent', f.spent, 'Spent'),
    part('allocated', f.allocated, 'Allocated'),
    part('available', f.available, 'Available'),
  );
}

/** @param {Figures} f */
export const figureList = (f) =>
  h(
    'dl',
    { class: 'figures' },
    h('div', {}, h('dt', {}, 'Available'), h('dd', { 'data-figure': 'available' }, money(f.available))),
    h('div', {}, h('dt', {}, 'Allocated'), h('dd', { 'data-figure': 'allocated' }, money(f.allocated))),
    h('div', {}, h('dt', {}, 'Spent'), h('dd', { 'data-figure': 'spent' }, money(f.spent))),
  );

/** @param {Pick<Policy, 'bnr_enabled' | 'policy_type'>} p */
export const typeLabel = (p) =>
  p.bnr_enabled ? 'Browse & request' : (POLICY_TYPES[p.policy_type] ?? p.policy_type);

/**
 * The budget's dates: "Jan 1, 2026 – Dec 31, 2026".
 * @param {Pick<Policy, 'subsidy_active_datetime' | 'subsidy_expiration_datetime'>} p
 */
export const budgetDates = (p) =>
  `${date(p.subsidy_active_datetime)} – ${date(p.subsidy_expiration_datetime)}`;
