import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { devSignInEnabled } from '../config.js';
import type { AppContext } from '../context.js';
import { DEMO_SLUG, DEMO_USERS } from '../demo-users.js';
import { getEnterpriseCustomerBySlug } from '../modules/enterprise/index.js';
import { JWT_COOKIE_HEADER_PAYLOAD, JWT_COOKIE_SIGNATURE, signDevToken } from './auth.js';

/**
 * The admin and learner pages: HTML shells from `web/` and their ES-module scripts, served as
 * they are (no build step). The shells carry no data: the scripts call Campus's public HTTP API
 * with the LMS JWT cookies, like any client. The routes are public (a shell is the same for
 * everyone) and hidden from /openapi.json, which documents the API only.
 */
const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
/** A script or a style sheet under web/, by plain names: `app.js`, `admin/budgets.js`. */
const ASSET = /^(?:[a-z][a-z0-9-]*\/)*[a-z][a-z0-9-]*\.(?:js|css)$/;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const page = { schema: { hide: true }, config: { public: true } } as const;
const SIGN_IN_HOURS = 8;

/**
 * web/'s scripts and styles under /app/assets/ (subfolders too), through @fastify/static: public
 * and hidden from /openapi.json like the shells; a path that is not a plain name ending .js or
 * .css (shell.html, api-types.d.ts, `..`) is answered by the app's 404. Each request reads the file
 * from disk (the OS caches it) and sends an ETag with `Cache-Control: public, max-age=0`, so a
 * browser revalidates and gets a 304 for an unchanged file: an edit or a deploy shows on the next
 * reload, in development and in production alike.
 */
async function assetRoutes(app: FastifyInstance): Promise<void> {
  // @fastify/static takes no route config: its routes are marked public here.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), public: true };
  });
  app.addHook('onRequest', async (request, reply) => {
    const name = (request.params as { '*'?: string })['*'] ?? '';
    if (!ASSET.test(name)) {
      reply.callNotFound();
      return reply;
    }
  });
  await app.register(fastifyStatic, {
    root: WEB_DIR,
    prefix: '/app/assets/',
    schemaHide: true,
    decorateReply: false,
    index: false,
    dotfiles: 'deny',
    setHeaders: (reply, path) => {
      const type = TYPES[extname(path)];
      if (type) reply.header('content-type', type);
    },
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function webRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const devSignIn = devSignInEnabled(ctx.config);
  const shellTemplate = await readFile(`${WEB_DIR}shell.html`, 'utf8');

  const shell = (reply: FastifyReply, view: string, title: string, params: Record<string, string>) => {
    // The view and its path parameters, as JSON in one attribute; app.js copies them to dataset.
    const data = escapeHtml(JSON.stringify({ view, ...params }));
    const nav = devSignIn ? '<a href="/app/sign-in">Switch user</a>' : '';
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        shellTemplate
          .replaceAll('{{title}}', escapeHtml(title))
          .replace('{{data}}', data)
          .replace('{{nav}}', nav),
      );
  };

  await app.register(assetRoutes);

  // Development: choose a demo user. Production: the signed-in person's enterprises.
  app.get('/app/', page, async (_request, reply) =>
    devSignIn ? reply.redirect('/app/sign-in') : shell(reply, 'home', 'Campus', {}),
  );

  const slugPage = (path: string, view: string, title: string) =>
    app.get(path, page, async (request, reply) => {
      const params = request.params as Record<string, string>;
      return shell(reply, view, title, params);
    });
  slugPage('/app/admin/:slug/', 'admin-budgets', 'Budgets');
  slugPage('/app/admin/:slug/budgets/:policy/', 'admin-budget', 'Budget');
  slugPage('/app/admin/:slug/learners/', 'admin-learners', 'Learners');
  slugPage('/app/learner/:slug/', 'learner-credit', 'My learner credit');
  slugPage('/app/learner/:slug/courses/:course/', 'learner-course', 'Course');
  slugPage('/app/learner/:slug/records/', 'learner-records', 'My records');
  slugPage('/app/learner/:slug/records/:program/', 'learner-record', 'Program record');
  slugPage('/app/records/shared/:shared/', 'public-record', 'Program record');

  app.post('/app/sign-out', page, async (_request, reply) =>
    reply
      .clearCookie(JWT_COOKIE_HEADER_PAYLOAD, { path: '/', sameSite: 'lax' })
      .clearCookie(JWT_COOKIE_SIGNATURE, { path: '/', httpOnly: true, sameSite: 'lax' })
      .redirect(devSignIn ? '/app/sign-in' : '/app/', 303),
  );

  // Development only (devSignInEnabled: on with the development secret or CAMPUS_DEV_SIGN_IN=1,
  // never in production): sign in as a demo user of `campus seed --demo` with a development token.
  if (!devSignIn) return;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.get('/app/sign-in', page, async (_request, reply) => {
    const customer = await getEnterpriseCustomerBySlug(ctx.db.kysely, DEMO_SLUG);
    const rows = DEMO_USERS.map(
      (u) =>
        `<li><button type="submit" name="username" value="${escapeHtml(u.username)}">${escapeHtml(u.fullName)}</button>
        <span class="muted">${u.role === 'enterprise_admin' ? 'admin' : 'learner'} · ${escapeHtml(u.email)} — ${escapeHtml(u.blurb)}</span></li>`,
    ).join('\n');
    const body = customer
      ? `<form method="post" action="/app/sign-in"><ul class="users">${rows}</ul></form>`
      : `<p role="alert">There is no demo enterprise yet. Run <code>npx campus seed --demo</code>, then reload.</p>`;
    return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Campus</title><link rel="stylesheet" href="/app/assets/app.css"></head>
<body><header class="top"><strong>Campus</strong> <span class="muted">development sign-in</span></header>
<main><h1>Sign in as a demo user</h1>
<p class="muted">Development only: these are the users of <code>campus seed --demo</code>. In production the pages use the Open edX LMS's JWT cookies.</p>
${body}</main></body></html>`);
  });

  app.post('/app/sign-in', page, async (request, reply) => {
    const username = (request.body as { username?: unknown } | undefined)?.username;
    const user = DEMO_USERS.find((u) => u.username === username);
    const customer = await getEnterpriseCustomerBySlug(ctx.db.kysely, DEMO_SLUG);
    if (!user || !customer || !ctx.config.jwt.secret) {
      return reply
        .status(400)
        .type('text/plain; charset=utf-8')
        .send('Unknown demo user; go back and pick one.');
    }
    const token = await signDevToken(
      ctx.config.jwt.secret,
      {
        userId: user.lmsUserId,
        username: user.username,
        email: user.email,
        name: user.fullName,
        roles: [`${user.role}:${customer.uuid}`],
        expiresIn: SIGN_IN_HOURS * 3600,
        issuer: ctx.config.jwt.issuer,
        audience: ctx.config.jwt.audience,
      },
      ctx.clock.now(),
    );
    const [header, payload, signature] = token.split('.');
    // As the LMS sets them: header.payload readable by the pages, the signature HttpOnly.
    const cookie = { path: '/', maxAge: SIGN_IN_HOURS * 3600, sameSite: 'lax' } as const;
    return reply
      .setCookie(JWT_COOKIE_HEADER_PAYLOAD, `${header}.${payload}`, cookie)
      .setCookie(JWT_COOKIE_SIGNATURE, signature ?? '', { ...cookie, httpOnly: true })
      .redirect(
        user.role === 'enterprise_admin' ? `/app/admin/${DEMO_SLUG}/` : `/app/learner/${DEMO_SLUG}/`,
        303,
      );
  });
}
