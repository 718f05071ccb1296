import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../http/module.js';
import { historyRoutes } from './history.routes.js';
import { learnerProfileRoutes } from './learner-profile.routes.js';
import { policyRoutes } from './policy.routes.js';
import { redemptionRoutes } from './redemption.routes.js';

export const accessRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  // Only the context: the module prefix is already applied to this plugin.
  await app.register(policyRoutes, { ctx });
  await app.register(redemptionRoutes, { ctx });
  await app.register(historyRoutes, { ctx });
  await app.register(learnerProfileRoutes, { ctx });
};
