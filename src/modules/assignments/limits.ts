/**
 * The most learner emails one allocation takes. The admin portal lets an admin paste up to this
 * many; the limit also keeps the policy row locked for well under a second (about 220 ms for 1,000
 * in `npm run bench -- assignments`) and every statement of the allocation far below PostgreSQL's
 * 65,535 bind parameters (75,000 emails overflowed them: a 503).
 */
export const MAX_EMAILS_PER_ALLOCATION = 1_000;
