import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';

export interface RouteOptions {
  ctx: AppContext;
}

/** A module's HTTP surface: its routes, mounted under its prefix ('' for the root). */
export interface CampusModule {
  name: string;
  prefix: string;
  routes: FastifyPluginAsyncZod<RouteOptions>;
}
