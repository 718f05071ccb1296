import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, rateLimitedResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, paginationQuery, toPage } from '../../http/pagination.js';
import type { RateLimit } from '../../http/rate-limit.js';
import * as s from './credentials.schemas.js';
import { listCreditRequests } from './credit-requests.js';
import { createPathway, deletePathway, getPathway, listPathways, updatePathway } from './pathways.js';
import { listProgramRecords, programRecordDetail, sharedRecordCsv } from './program-records.js';
import { sendProgramRecord, shareProgramRecord } from './share-record.js';

const tags = ['credentials'];

/** Sharing a record and sending it to a pathway: 15 a minute per learner, as the reference. */
const RECORD_ACTIONS_LIMIT: RateLimit = { name: 'record-actions', max: 15, windowSeconds: 60, by: 'user' };
/**
 * Reading a shared record needs no account, so it is counted per client address: generous for a
 * person or an admissions office, a wall for a crawler enumerating links.
 */
const PUBLIC_RECORD_LIMIT: RateLimit = { name: 'public-record-reads', max: 120, windowSeconds: 60, by: 'ip' };

/** Pathways, credit requests and program records (list, detail, share, send, public view and CSV). */
export const recordsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v2/pathways/',
    {
      schema: {
        tags,
        summary: 'Credit and industry pathways',
        querystring: paginationQuery,
        response: { 200: pageSchema(s.pathwayOut), ...errorResponses },
      },
    },
    async (request) => {
      const { count, results } = await listPathways(ctx, actor(request), pageWindow(request.query));
      return toPage(request, request.query, count, results);
    },
  );

  app.post(
    '/api/v2/pathways/',
    {
      schema: {
        tags,
        summary: 'Create a pathway',
        body: s.pathwayBody,
        response: { 201: s.pathwayOut, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createPathway(ctx, actor(request), request.body)),
  );

  app.get(
    '/api/v2/pathways/:uuid/',
    {
      schema: {
        tags,
        summary: 'One pathway',
        params: s.uuidParams,
        response: { 200: s.pathwayOut, ...errorResponses },
      },
    },
    async (request) => getPathway(ctx, actor(request), request.params.uuid),
  );

  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/api/v2/pathways/:uuid/',
      {
        schema: {
          tags,
          summary: 'Change a pathway (programs, when given, replace the list)',
          params: s.uuidParams,
          body: s.pathwayPatchBody,
          response: { 200: s.pathwayOut, ...errorResponses },
        },
      },
      async (request) =>
        updatePathway(ctx, actor(request), { uuid: request.params.uuid, patch: request.body }),
    );
  }

  app.delete(
    '/api/v2/pathways/:uuid/',
    {
      schema: {
        tags,
        summary: 'Delete a pathway that has no credit requests',
        params: s.uuidParams,
        response: { 204: z.null(), 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      await deletePathway(ctx, actor(request), request.params.uuid);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v2/credit_requests/',
    {
      schema: {
        tags,
        summary: 'Credit requests (UserCreditPathway): program, pathway, status, request count, last sent',
        querystring: s.creditRequestQuery,
        response: { 200: pageSchema(s.creditRequestOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, results } = await listCreditRequests(ctx, actor(request), {
        username: q.username,
        programUuid: q.program_uuid,
        pathwayUuid: q.pathway_id,
        ...pageWindow(q),
      });
      return toPage(request, q, count, results);
    },
  );

  app.get(
    '/records/api/v1/program_records/',
    {
      schema: {
        tags,
        summary: "The caller's program records (credentials admins: anyone's with ?username=)",
        querystring: s.programRecordsQuery,
        response: { 200: s.programRecordsOut, ...errorResponses },
      },
    },
    async (request) => listProgramRecords(ctx, actor(request), request.query),
  );

  app.get(
    '/records/api/v1/program_records/:uuid/',
    {
      config: { public: true, rateLimit: PUBLIC_RECORD_LIMIT },
      schema: {
        tags,
        summary:
          'One program record: ?is_public=true with a shared record uuid (no sign-in, no email), else a program uuid (signed in)',
        params: s.uuidParams,
        querystring: s.recordDetailQuery,
        response: { 200: s.recordDetailOut, ...errorResponses, ...rateLimitedResponses },
      },
    },
    async (request) =>
      programRecordDetail(ctx, request.principal, request.params.uuid, {
        isPublic: request.query.is_public ?? false,
        username: request.query.username,
      }),
  );

  app.post(
    '/records/programs/:uuid/share',
    {
      config: { rateLimit: RECORD_ACTIONS_LIMIT },
      schema: {
        tags,
        summary: 'Get or create the public link of a program record (201 first, then 200)',
        params: s.uuidParams,
        body: s.shareBody,
        response: { 200: s.shareOut, 201: s.shareOut, ...errorResponses, ...rateLimitedResponses },
      },
    },
    async (request, reply) => {
      const { url, created } = await shareProgramRecord(ctx, actor(request), {
        programUuid: request.params.uuid,
        username: request.body.username,
      });
      return reply.status(created ? 201 : 200).send({ url });
    },
  );

  app.post(
    '/records/programs/:uuid/send',
    {
      config: { rateLimit: RECORD_ACTIONS_LIMIT },
      schema: {
        tags,
        summary: 'Send the program record to a credit pathway (records the request, queues the email)',
        params: s.uuidParams,
        body: s.sendBody,
        response: {
          200: s.creditRequestOut,
          422: errorResponses[400],
          ...errorResponses,
          ...rateLimitedResponses,
        },
      },
    },
    async (request) =>
      sendProgramRecord(ctx, actor(request), {
        programUuid: request.params.uuid,
        username: request.body.username,
        pathwayUuid: request.body.pathway_id,
      }),
  );

  app.get(
    '/records/programs/shared/:uuid/',
    {
      config: { public: true, rateLimit: PUBLIC_RECORD_LIMIT },
      schema: {
        tags,
        summary:
          'A shared program record (public; without the email); a browser asking for HTML is sent to its web page',
        params: s.uuidParams,
        response: { 200: s.recordDetailOut, ...errorResponses, ...rateLimitedResponses },
      },
    },
    async (request, reply) => {
      // The link a learner shares (and a pathway receives by email) opens the record's page: the
      // learner record MFE's when one is configured, as the reference's does, else Campus's own.
      // API clients asking for JSON get the record.
      const accept = request.headers.accept ?? '';
      if (accept.includes('text/html') && !accept.includes('application/json')) {
        const hexUuid = request.params.uuid.replace(/-/g, '');
        const mfe = ctx.config.learnerRecordMfeUrl;
        return reply.redirect(mfe ? `${mfe}/shared/${hexUuid}` : `/app/records/shared/${hexUuid}/`, 302);
      }
      return programRecordDetail(ctx, request.principal, request.params.uuid, { isPublic: true });
    },
  );

  app.get(
    '/records/programs/shared/:uuid/csv',
    {
      config: { public: true, rateLimit: PUBLIC_RECORD_LIMIT },
      schema: {
        tags,
        summary: 'A shared program record as CSV (public; without the email)',
        params: s.uuidParams,
        response: { 200: z.string(), ...errorResponses, ...rateLimitedResponses },
      },
    },
    async (request, reply) => {
      const { filename, body } = await sharedRecordCsv(ctx, request.params.uuid);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(body);
    },
  );
};
