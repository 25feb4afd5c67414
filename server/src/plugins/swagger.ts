import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NAMED_SCHEMAS } from '@tissu/shared';
import { tidyComponents } from './openapi-components.js';

/**
 * OpenAPI 3 generated from the same zod schemas that validate requests: one source of truth.
 * The contract's named schemas get their id in zod's global registry (kept beside any description
 * they carry), where fastify-type-provider-zod looks: routes then refer to them by `$ref` and the
 * document lists each once under components/schemas.
 */
export default fp(
  async (app) => {
    for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id });
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Tissu API',
          description: 'Platform-cooperative marketplace: co-ops, listings, bookings, payments, patronage refunds.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            cookie: { type: 'apiKey', in: 'cookie', name: 'tissu_access' },
          },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: (input) => tidyComponents(jsonSchemaTransformObject(input)),
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'swagger' },
);
