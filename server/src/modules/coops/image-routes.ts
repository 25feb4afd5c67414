import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams, OkBody, Photo, UploadCoopImageBody } from '@tissu/shared';
import { acceptUploads, uploadsPerPerson } from '../../plugins/uploads.js';
import type { CoopImagesService } from './images.js';

const tags = ['photos'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody };
const upload = 'multipart/form-data with `file` (JPEG, PNG, WebP, AVIF or HEIC, read by its content; at most 10 MB and 50 megapixels) ' +
  'and optional `altFr`/`altEn` (empty: decorative). It replaces the previous one, whose files are removed; the new one has new URLs.';

/** A co-op's logo and cover, set and removed by its admins. */
export const coopImageRoutes: FastifyPluginAsyncZod<{ images: CoopImagesService; perMinute: number }> = async (app, { images, perMinute }) => {
  // Only the uploads read multipart: the removals keep answering 415 to it.
  await app.register(async (scope) => {
    await acceptUploads(scope);
    const uploads = scope.withTypeProvider<ZodTypeProvider>();
    for (const kind of ['logo', 'cover'] as const) {
      uploads.put(`/coops/:id/${kind}`, {
        config: uploadsPerPerson(perMinute),
        schema: {
          tags, security, consumes: ['multipart/form-data'], summary: `Set the co-op's ${kind} (its admins)`, description: upload,
          params: IdParams, body: UploadCoopImageBody, response: { 200: Photo, ...errors },
        },
      }, async (req) => images.set(req.actor, req.params.id, kind, req.body));
    }
  });

  for (const kind of ['logo', 'cover'] as const) {
    app.delete(`/coops/:id/${kind}`, {
      schema: { tags, security, summary: `Remove the co-op's ${kind} (its admins)`, params: IdParams, response: { 200: OkBody, ...errors } },
    }, async (req) => {
      await images.remove(req.actor, req.params.id, kind);
      return { ok: true as const };
    });
  }
};
