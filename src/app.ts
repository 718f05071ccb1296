import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import type { Db } from './database.js';
import { createTokenVerifier, type TokenVerifier } from './http/auth.js';
import { type CliRelay, cliRelayRoutes } from './http/cli-relay.routes.js';
import { registerCors } from './http/cors.js';
import { csrfRoutes } from './http/csrf.routes.js';
import { registerErrorHandling } from './http/errors.js';
import { frameworkErrors } from './http/framework-errors.js';
import { registerAuthGuard } from './http/guard.js';
import { registerMetrics } from './http/metrics.js';
import type { CampusModule } from './http/module.js';
import { registerNulCharacterGuard } from './http/nul-characters.js';
import { registerOpenApi } from './http/openapi.js';
import { registerRateLimits } from './http/rate-limit.js';
import { systemRoutes } from './http/system.routes.js';
import { webRoutes } from './http/web.routes.js';
import { rememberUser } from './modules/enterprise/index.js';
import { modules } from './modules/registry.js';
import { actorLabel, runAudited } from './shared/audit.js';
import { type Clock, systemClock } from './shared/clock.js';
import { type Ids, randomIds } from './shared/ids.js';
import { createContext } from './wiring.js';

export interface BuildAppOptions {
  db: Db;
  config: Config;
  clock?: Clock;
  ids?: Ids;
  logger?: Logger;
  /** Replace JWT verification (tests of the guard itself use the real one). */
  verifier?: TokenVerifier;
  /** Node process metrics (event loop, memory) on /metrics: on for a served process. */
  processMetrics?: boolean;
  /** The modules to mount; all of them unless a test adds or leaves some out. */
  modules?: CampusModule[];
  /** Test hook: make workflow steps fail (AppContext.workflowFaults). */
  workflowFaults?: AppContext['workflowFaults'];
  /** The served process's door for local `campus` commands while it owns the embedded database. */
  cliRelay?: CliRelay;
  /** Test hook: sees every route as it is added, hidden ones included (the route guard test). */
  onRoute?: (route: RouteOptions) => void;
}

export type App = FastifyInstance & { campus: AppContext };

/**
 * Node checks request deadlines every `connectionsCheckingInterval` (30 s by default), which would
 * let a slow request live up to 30 s past its deadline; headers get no longer than the whole request.
 */
function receiveTimeouts(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(60_000, requestTimeoutMs),
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(requestTimeoutMs / 4))),
  };
}

/** Builds the whole HTTP application from its parts; no globals, so every test builds its own. */
export async function buildApp(options: BuildAppOptions): Promise<App> {
  const log = options.logger ?? pino({ level: options.config.logLevel });
  const ctx: AppContext = createContext({
    db: options.db,
    config: options.config,
    clock: options.clock ?? systemClock,
    ids: options.ids ?? randomIds,
    log,
    workflowFaults: options.workflowFaults,
  });

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Large lists of keys in a path segment are legitimate; both `/x` and `/x/` reach one route.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    genReqId: () => ctx.ids.uuid(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    frameworkErrors,
    // X-Forwarded-For/-Proto/-Host are believed only from TRUSTED_PROXIES: they then give
    // request.ip (the per-address rate limits) and the origin of links in answers.
    trustProxy: options.config.trustedProxies.length > 0 ? options.config.trustedProxies : false,
    // A client gets REQUEST_TIMEOUT_MS to send a whole request, headers and body: one trickling a
    // body byte by byte (slow loris) is answered 408 and closed instead of holding the connection.
    requestTimeout: options.config.requestTimeoutMs,
    http: receiveTimeouts(options.config.requestTimeoutMs),
  });

  if (options.onRoute) {
    const onRoute = options.onRoute;
    app.addHook('onRoute', (route) => onRoute(route));
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerErrorHandling(app);
  registerNulCharacterGuard(app);
  // Cookies are parsed once, tolerantly (a stray `%` in someone else's cookie is not an error),
  // before the guard reads the LMS JWT cookie pair from them.
  await app.register(fastifyCookie);
  // The MFEs on their own origins: preflights are answered here, before the guard and rate limits.
  await registerCors(app, ctx.config.corsAllowedOrigins);
  registerAuthGuard(app, options.verifier ?? createTokenVerifier(ctx.config, ctx.clock));
  registerRateLimits(app, ctx);
  // Everything a request changes is attributed to its caller in the change history.
  app.addHook('onRequest', (request, _reply, done) => {
    runAudited({ actor: actorLabel(request.principal), clock: ctx.clock }, done);
  });
  // The local user record follows the token: learners exist from their first request on.
  app.addHook('preHandler', async (request) => {
    if (request.principal) await rememberUser(ctx, request.principal);
  });
  const metrics = registerMetrics(app, {
    processMetrics: options.processMetrics ?? false,
    token: options.config.metricsToken,
  });
  await registerOpenApi(app);

  await app.register(systemRoutes, { ctx, metrics });
  await app.register(csrfRoutes, { ctx });
  for (const mod of options.modules ?? modules) {
    await app.register(mod.routes, { ctx, prefix: mod.prefix });
  }
  // The admin and learner pages (web/): HTML shells whose scripts call the API above.
  await app.register(webRoutes, { ctx });
  if (options.cliRelay) await app.register(cliRelayRoutes, { ctx, relay: options.cliRelay });

  await app.ready();
  return Object.assign(app, { campus: ctx }) as unknown as App;
}
