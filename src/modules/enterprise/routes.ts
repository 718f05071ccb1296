import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../http/module.js';
import { catalogContentRoutes } from './catalog-content.routes.js';
import { catalogRoutes } from './catalogs.routes.js';
import { customerRoutes } from './customers.routes.js';
import { groupRoutes } from './groups.routes.js';
import { highlightRoutes } from './highlights.routes.js';

/** `/enterprise/...`: customers, learners and memberships, catalogs, groups (and the highlights Campus has not). */
export const enterpriseRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  await app.register(customerRoutes, { ctx });
  await app.register(catalogRoutes, { ctx });
  await app.register(catalogContentRoutes, { ctx });
  await app.register(groupRoutes, { ctx });
  await app.register(highlightRoutes, { ctx });
};
