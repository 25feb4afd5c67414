import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams, OkBody, Photo, PhotoList, PhotoOrderBody, PhotoParams, UpdatePhotoBody, UploadListingPhotoBody } from '@tissu/shared';
import { acceptUploads, uploadsPerPerson } from '../../plugins/uploads.js';
import type { ListingPhotosService } from './photos.js';

const tags = ['photos'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody };

/** A listing's photos: its co-op's admins add, describe, order and remove them. */
export const listingPhotoRoutes: FastifyPluginAsyncZod<{ photos: ListingPhotosService; perMinute: number }> = async (app, { photos, perMinute }) => {
  // Only the upload reads multipart: the other routes keep answering 415 to it.
  await app.register(async (uploads) => {
    await acceptUploads(uploads);
    uploads.withTypeProvider<ZodTypeProvider>().post('/listings/:id/photos', {
      config: uploadsPerPerson(perMinute),
      schema: {
        tags, security, consumes: ['multipart/form-data'],
        summary: "Add a photo to a listing (its co-op's admins; at most 8)",
        description: 'multipart/form-data with `file` (JPEG, PNG, WebP, AVIF or HEIC, read by its content; at most 10 MB and 50 megapixels) ' +
          'and `altFr`/`altEn` (what the photo shows; at least one). EXIF and location data are removed; the photo is made in 320, 640 and 1280 px wide AVIF, WebP and JPEG.',
        params: IdParams, body: UploadListingPhotoBody, response: { 201: Photo, ...errors },
      },
    }, async (req, reply) => reply.code(201).send(await photos.add(req.actor, req.params.id, req.body)));
  });

  app.patch('/listings/:id/photos/:photoId', {
    schema: { tags, security, summary: "Change a photo's alternative text (its co-op's admins)", params: PhotoParams, body: UpdatePhotoBody, response: { 200: Photo, ...errors } },
  }, async (req) => photos.describe(req.actor, req.params.id, req.params.photoId, req.body));

  app.put('/listings/:id/photos/order', {
    schema: {
      tags, security, summary: "Order a listing's photos (its co-op's admins): every photo once, first shown first",
      params: IdParams, body: PhotoOrderBody, response: { 200: PhotoList, ...errors },
    },
  }, async (req) => ({ items: await photos.reorder(req.actor, req.params.id, req.body.photoIds) }));

  app.delete('/listings/:id/photos/:photoId', {
    schema: { tags, security, summary: "Remove a photo and its files (its co-op's admins)", params: PhotoParams, response: { 200: OkBody, ...errors } },
  }, async (req) => {
    await photos.remove(req.actor, req.params.id, req.params.photoId);
    return { ok: true as const };
  });
};
