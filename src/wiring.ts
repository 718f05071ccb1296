import type { AppContext } from './context.js';
import { LmsClient } from './lms/lms-client.js';
import { wireAccess } from './modules/access/index.js';
import { wireAssignments } from './modules/assignments/index.js';
import { wireRequests } from './modules/requests/index.js';

/**
 * Connects the modules that listen to each other (assignment transitions, email outcomes, the
 * policies assignments reads, the bnr checks and the learner's requests), explicitly and in one
 * place, so that what follows what never depends on which entry point imported which module.
 * Every registration replaces or joins a set, so wiring twice changes nothing.
 */
export function wireModules(): void {
  wireAccess();
  wireAssignments();
  wireRequests();
}

/**
 * The context services run in, for the server, the command line, jobs and tests alike: the
 * modules wired, and one LMS client (its token shared) when an LMS is configured.
 */
export function createContext(parts: Omit<AppContext, 'lms'>): AppContext {
  wireModules();
  return { ...parts, lms: parts.config.lms ? new LmsClient(parts.config.lms) : null };
}
