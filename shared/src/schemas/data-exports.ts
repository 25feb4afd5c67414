import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/**
 * "Download my data" (Québec's Law 25, portability): a person asks, a job builds one zip archive of
 * everything Tissu holds about her, and an emailed link downloads it for her signed-in self until
 * it expires. `preparing`: waiting for the job; `ready`: built, downloadable until `expiresAt`;
 * `expired`: its time is over and the archive is deleted; `failed`: the job could not build it.
 */
export const DATA_EXPORT_STATES = ['preparing', 'ready', 'expired', 'failed'] as const;
export const DataExportState = z.enum(DATA_EXPORT_STATES);
export type DataExportState = z.infer<typeof DataExportState>;

/** How long a built archive stays downloadable. */
export const DATA_EXPORT_DAYS = 7;
/** Requests one person may make in 24 hours (one being prepared at a time). */
export const DATA_EXPORTS_PER_DAY = 3;

export const DataExport = z.object({
  id: Id,
  state: DataExportState,
  requestedAt: Timestamp,
  readyAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  /** The archive's size in bytes, once built. */
  sizeBytes: z.number().int().nullable(),
});
export type DataExport = z.infer<typeof DataExport>;

export const DataExportList = z.object({
  /** Her requests, newest first. */
  exports: z.array(DataExport),
  /** When she may ask again (null: now). */
  nextRequestAt: Timestamp.nullable(),
});
export type DataExportList = z.infer<typeof DataExportList>;

/**
 * The token of an emailed download link: 43 URL-safe characters (256 bits). Only its hash is kept;
 * the link works only for the signed-in person it was made for.
 */
export const DATA_EXPORT_TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const DataExportTokenParams = z.object({ token: z.string().max(200) });
