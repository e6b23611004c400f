/**
 * Speaker photos: the type is sniffed from the bytes (never the name or the header), at most
 * 5 MB, re-encoded to WebP squares at fixed sizes. Re-encoding drops EXIF, GPS and ICC metadata.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../http/errors.ts';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_SIZES = [96, 256, 512] as const;
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif']);

/** A client-supplied file name is only informative; one that tries to be a path is refused. */
export function checkFileName(name: string | undefined): void {
  if (name === undefined) return;
  if (name.length > 255 || /[/\\\0]|\.\./.test(name)) {
    throw new AppError('validation_failed', 'The file name must not contain a path', [
      { path: ['filename'], message: 'no path' },
    ]);
  }
}

export async function storeSpeakerPhoto(mediaDir: string, speakerId: string, bytes: Buffer): Promise<string> {
  if (bytes.length === 0) throw new AppError('validation_failed', 'The upload is empty');
  if (bytes.length > PHOTO_MAX_BYTES) throw new AppError('payload_too_large', 'Photos can be at most 5 MB');
  let format: string | undefined;
  try {
    format = (await sharp(bytes).metadata()).format;
  } catch {
    format = undefined;
  }
  if (!format || !ACCEPTED.has(format)) {
    throw new AppError('unsupported_media_type', 'That file is not an image we accept (JPEG, PNG, WebP, GIF, AVIF)');
  }
  const dir = path.join(mediaDir, 'speakers');
  await fs.mkdir(dir, { recursive: true });
  const version = Date.now().toString(36);
  for (const size of PHOTO_SIZES) {
    const out = await sharp(bytes, { limitInputPixels: 40_000_000 })
      .rotate()
      .resize(size, size, { fit: 'cover' })
      .webp({ quality: 82 })
      .toBuffer();
    await fs.writeFile(path.join(dir, `${speakerId}-${version}-${size}.webp`), out);
  }
  return `/media/speakers/${speakerId}-${version}-256.webp`;
}
