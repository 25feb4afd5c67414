import sharp from 'sharp';
import { MAX_PHOTO_PIXELS, PHOTO_WIDTHS, fieldError } from '@tissu/shared';
import { badRequest } from '../../errors.js';
import { PHOTO_FORMATS, type PhotoExt } from './dto.js';

/** What sharp must recognise in the file's bytes; its name and declared type are never asked. */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'avif', 'heif']);

export interface ProcessedPhoto {
  /** The largest variant's size. */
  width: number;
  height: number;
  widths: number[];
  files: { width: number; ext: PhotoExt; type: string; data: Buffer }[];
}

const notAnImage = () => badRequest('The file is not an image we can read', { file: [fieldError('not_an_image')] });
const tooManyPixels = () => badRequest('The image is too large', { file: [fieldError('image_too_many_pixels', { maximum: MAX_PHOTO_PIXELS })] });

/** The widths made of an image `width` pixels wide: the standard ones below it, then itself up to the largest. Never upscaled. */
export function widthsFor(width: number): number[] {
  const largest = PHOTO_WIDTHS.at(-1)!;
  const below = PHOTO_WIDTHS.filter((w) => w < Math.min(width, largest));
  return [...below, Math.min(width, largest)];
}

const encoders = {
  avif: (img: sharp.Sharp) => img.avif({ quality: 50, effort: 2 }),
  webp: (img: sharp.Sharp) => img.webp({ quality: 76, effort: 3 }),
  jpg: (img: sharp.Sharp) => img.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true, progressive: true }),
} satisfies Record<PhotoExt, (img: sharp.Sharp) => sharp.Sharp>;

/**
 * Reads an upload by its content and makes the variants pages show. The header is read first:
 * anything but JPEG, PNG, WebP, AVIF or HEIC (an SVG, a PDF, text named .jpg) and any image over
 * MAX_PHOTO_PIXELS is refused before a pixel is decoded, and limitInputPixels stops libvips too,
 * so a decompression bomb costs a header read. A truncated or corrupt file fails in decoding
 * (failOn 'truncated'): 400 as well. rotate() applies the EXIF orientation; the outputs carry no
 * metadata at all (sharp writes none unless asked), so no EXIF, GPS or camera data leaves.
 */
export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  const options: sharp.SharpOptions = { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'truncated', sequentialRead: true };
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, options).metadata();
  } catch (err) {
    if (/pixel limit/i.test(String((err as Error).message))) throw tooManyPixels();
    throw notAnImage();
  }
  if (!meta.format || !ACCEPTED.has(meta.format) || !meta.width || !meta.height) throw notAnImage();
  if (meta.width * meta.height > MAX_PHOTO_PIXELS) throw tooManyPixels();
  // EXIF orientations 5-8 turn the image a quarter: its width is then the stored height.
  const width = (meta.orientation ?? 1) >= 5 ? meta.height : meta.width;
  const widths = widthsFor(width);
  try {
    const files: ProcessedPhoto['files'] = [];
    let height = 0;
    for (const w of widths) {
      // Decoded once per width (JPEG and WebP shrink on load), encoded three times from the small raw copy.
      const resized = await sharp(input, options).rotate().resize({ width: w, withoutEnlargement: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const at = () => sharp(resized.data, { raw: { width: resized.info.width, height: resized.info.height, channels: resized.info.channels } });
      for (const f of PHOTO_FORMATS) {
        files.push({ width: w, ext: f.ext, type: f.type, data: await encoders[f.ext](at()).toBuffer() });
      }
      height = resized.info.height;
    }
    return { width: widths.at(-1)!, height, widths, files };
  } catch (err) {
    if (/pixel limit/i.test(String((err as Error).message))) throw tooManyPixels();
    throw notAnImage();
  }
}
