/** The customers a listing may show: every one ('*', operators) or these (none when empty). */
export type CustomerFilter = '*' | string[];
