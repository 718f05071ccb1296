import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error.schemas.js';
import { actor } from '../../http/guard.js';
import type { RouteOptions } from '../../http/module.js';
import { pageSchema, pageWindow, toPage } from '../../http/pagination.js';
import { setCredentialStatus, upsertCredential } from './award-certificate.js';
import { getCertConfig, updateCertConfig, upsertCertConfig } from './cert-configs.js';
import * as s from './credentials.schemas.js';
import { updateGrade, upsertGrade } from './grades.js';
import { bulkLearnerCertStatus, learnerCertStatus, learnerProgramStatus } from './learner-status.js';
import { getCredential, listCredentials } from './read-credentials.js';
import { recordsRoutes } from './records.routes.js';

const tags = ['credentials'];

export const credentialsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v2/credentials/',
    {
      schema: {
        tags,
        summary: 'User credentials (credentials admins; a learner with ?username= of their own)',
        querystring: s.credentialListQuery,
        response: { 200: pageSchema(s.credentialOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { count, results } = await listCredentials(ctx, actor(request), {
        username: q.username,
        status: q.status,
        type: q.type,
        programUuid: q.program_uuid,
        onlyVisible: q.only_visible,
        ...pageWindow(q),
      });
      return toPage(request, q, count, results);
    },
  );

  app.post(
    '/api/v2/credentials/',
    {
      schema: {
        tags,
        summary: 'Award or revoke a credential (update-or-create; always 201)',
        body: s.credentialBody,
        response: { 201: s.credentialOut, ...errorResponses },
      },
    },
    async (request, reply) => {
      const view = await upsertCredential(ctx, actor(request), request.body);
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/v2/credentials/:uuid/',
    {
      schema: {
        tags,
        summary: 'One user credential',
        params: s.uuidParams,
        response: { 200: s.credentialOut, ...errorResponses },
      },
    },
    async (request) => getCredential(ctx, actor(request), request.params.uuid),
  );

  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/api/v2/credentials/:uuid/',
      {
        schema: {
          tags,
          summary: "Change a credential's status",
          params: s.uuidParams,
          body: s.credentialStatusBody,
          response: { 200: s.credentialOut, ...errorResponses },
        },
      },
      async (request) =>
        setCredentialStatus(ctx, actor(request), { uuid: request.params.uuid, status: request.body.status }),
    );
  }

  app.delete(
    '/api/v2/credentials/:uuid/',
    {
      schema: {
        tags,
        summary: 'Revoke a credential (the row stays, with status revoked)',
        params: s.uuidParams,
        response: { 200: s.credentialOut, ...errorResponses },
      },
    },
    async (request) =>
      setCredentialStatus(ctx, actor(request), { uuid: request.params.uuid, status: 'revoked' }),
  );

  app.post(
    '/api/v2/grades/',
    {
      schema: {
        tags,
        summary: 'Record a grade (update-or-create on learner and run; always 201)',
        body: s.gradeBody,
        response: { 201: s.gradeOut, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await upsertGrade(ctx, actor(request), request.body)),
  );

  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/api/v2/grades/:uuid/',
      {
        schema: {
          tags,
          summary: 'Change a grade',
          params: s.uuidParams,
          body: s.gradePatchBody,
          response: { 200: s.gradeOut, ...errorResponses },
        },
      },
      async (request) => updateGrade(ctx, actor(request), { uuid: request.params.uuid, patch: request.body }),
    );
  }

  app.post(
    '/api/v2/course_certificates/',
    {
      schema: {
        tags,
        summary: "Create or update a course run's certificate configuration",
        body: s.courseCertificateBody,
        response: { 200: s.courseCertificateOut, 201: s.courseCertificateOut, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { view, created } = await upsertCertConfig(ctx, actor(request), request.body);
      return reply.status(created ? 201 : 200).send(view);
    },
  );

  app.get(
    '/api/v2/course_certificates/:course_id/',
    {
      schema: {
        tags,
        summary: "A course run's certificate configuration",
        params: s.courseIdParams,
        response: { 200: s.courseCertificateOut, ...errorResponses },
      },
    },
    async (request) => getCertConfig(ctx, actor(request), request.params.course_id),
  );

  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/api/v2/course_certificates/:course_id/',
      {
        schema: {
          tags,
          summary: "Change a course run's certificate configuration",
          params: s.courseIdParams,
          body: s.courseCertificatePatchBody,
          response: { 200: s.courseCertificateOut, ...errorResponses },
        },
      },
      async (request) =>
        updateCertConfig(ctx, actor(request), { courseId: request.params.course_id, patch: request.body }),
    );
  }

  app.post(
    '/api/credentials/v1/learner_cert_status/',
    {
      schema: {
        tags,
        summary:
          "A learner's awarded, visible course certificates (credentials admins; a learner for themself)",
        body: s.learnerStatusBody,
        response: { 200: s.learnerStatusOut, ...errorResponses },
      },
    },
    async (request) => learnerCertStatus(ctx, actor(request), request.body),
  );

  app.post(
    '/api/credentials/v1/bulk_learner_cert_status/',
    {
      schema: {
        tags,
        summary:
          'learner_cert_status for many learners (credentials admins): one answer or error per item, in order',
        body: s.bulkLearnerStatusBody,
        response: { 200: s.bulkLearnerStatusOut, ...errorResponses },
      },
    },
    async (request) => bulkLearnerCertStatus(ctx, actor(request), request.body),
  );

  app.post(
    '/api/credentials/v1/learner_program_status/',
    {
      schema: {
        tags,
        summary: "A learner's status on every run of a program, excluded runs tagged, with program progress",
        body: s.learnerProgramStatusBody,
        response: { 200: s.learnerProgramStatusOut, ...errorResponses },
      },
    },
    async (request) => learnerProgramStatus(ctx, actor(request), request.body),
  );

  await app.register(recordsRoutes, { ctx });
};
