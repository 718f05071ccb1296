/**
 * The change history of the records people are accountable for (policies, subsidies,
 * assignments, learner credit requests, enterprise customers): written by database triggers,
 * read here by the module that owns each record, after it has authorized the caller.
 */
export { requireHistoryReader } from './authorize.js';
export { type ChangeView, changeHistory, type HistoryTable } from './change-history.js';
export { changeOut } from './history.schemas.js';
export { historyRoute } from './history-route.js';
