import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../http/module.js';
import { historyRoute } from '../history/index.js';
import { policyHistory } from './policy-history.js';

export const historyRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  historyRoute(app, {
    url: '/api/v1/subsidy-access-policies/:uuid/history/',
    tag: 'access',
    what: 'a policy',
    read: (who, { params, ...page }) => policyHistory(ctx, who, { uuid: params.uuid ?? '', ...page }),
  });
};
