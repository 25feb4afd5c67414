import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Id, fieldError } from '@tissu/shared';
import { badRequest } from '../../errors.js';
import type { Keyset, SearchOrder } from './search-repository.js';

const MAC_BYTES = 16;

const Payload = z.discriminatedUnion('sort', [
  z.object({ sort: z.literal('relevance'), key: z.number().finite().min(0), id: Id }),
  z.object({ sort: z.enum(['price_asc', 'price_desc']), key: z.number().int().min(0).max(2 ** 31 - 1), id: Id }),
  z.object({ sort: z.literal('newest'), key: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), id: Id }),
]);

const invalid = () => badRequest('The cursor is not valid; start again from the first page', { cursor: [fieldError('invalid_cursor')] });

/**
 * An opaque page cursor: base64url of a 16-byte HMAC followed by the JSON of the last row's sort
 * key and id. The MAC makes any edit a clean 400 instead of a jump to some other place.
 */
export function createCursorCodec(secret: string) {
  const key = createHmac('sha256', secret).update('tissu:search-cursor:v1').digest();
  const mac = (body: Buffer) => createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);

  return {
    encode(k: Keyset): string {
      const body = Buffer.from(JSON.stringify({ sort: k.sort, key: k.key, id: k.id }));
      return Buffer.concat([mac(body), body]).toString('base64url');
    },

    decode(cursor: string, expected: SearchOrder): Keyset {
      if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length <= MAC_BYTES) throw invalid();
      const body = raw.subarray(MAC_BYTES);
      if (!timingSafeEqual(raw.subarray(0, MAC_BYTES), mac(body))) throw invalid();
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw invalid();
      }
      const result = Payload.safeParse(parsed);
      if (!result.success) throw invalid();
      if (result.data.sort !== expected) {
        throw badRequest('This cursor belongs to another sort order; start again from the first page', { cursor: [fieldError('cursor_sort_mismatch')] });
      }
      return result.data as Keyset;
    },
  };
}

export type CursorCodec = ReturnType<typeof createCursorCodec>;
