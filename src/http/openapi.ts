import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/**
 * OpenAPI 3.1 built from the routes' zod schemas. Each operation states whether it needs a token
 * (`security`), taken from the same `config.public` flag the auth guard obeys, so the document
 * cannot drift from what the server enforces.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Campus API',
        version: '0.1.0',
        description:
          'Catalog, credentials and enterprise learner credit. Authenticate with `Authorization: JWT <token>` ' +
          '(or `Bearer <token>`); errors are `{"detail", "error_code"}`.',
      },
      components: { securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: (input: TransformInput) => {
      const out = jsonSchemaTransform(input);
      const isPublic = (input.route.config as { public?: boolean } | undefined)?.public === true;
      return { ...out, schema: { ...out.schema, security: isPublic ? [] : [{ jwt: [] }] } };
    },
    transformObject: jsonSchemaTransformObject,
  });

  app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  // The reference pages are public; mark every route swagger-ui adds as such.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  });
}
