/** The customers a listing may show: every one ('*', operators) or these. */
export type CustomerFilter = '*' | string[];

// Matches no customer: the column is a uuid, so an empty string would fail the query itself.
const NO_CUSTOMER = '00000000-0000-0000-0000-000000000000';

/** The list for `enterprise_customer_uuid in (...)`: an empty one matches nothing, not everything. */
export const customersOrNone = (customers: string[]): string[] =>
  customers.length ? customers : [NO_CUSTOMER];
