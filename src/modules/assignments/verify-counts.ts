import type { Executor } from '../../database.js';
import * as stateCounts from './state-counts.repository.js';

/**
 * Every (configuration, state, learner_state) whose appended state counts disagree with the
 * assignments themselves: empty when the triggers and folds kept the counts exact (a check for
 * tests and operators, like `ledger verify`; it reads the whole table).
 */
export function stateCountMismatches(db: Executor): ReturnType<typeof stateCounts.stateCountMismatches> {
  return stateCounts.stateCountMismatches(db);
}
