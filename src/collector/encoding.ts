// Content-Encoding of request bodies: gzip, deflate and br are decoded (a client or proxy may
// compress; the SDK's own sends are identity), with the body limit applied to the decoded bytes so a
// small compressed body cannot expand past it. Anything else is refused with 415 — before this, a
// gzip body was parsed as raw bytes and answered 400 `invalid_utf8`, which makes the SDK drop the
// batch instead of a clear, non-dropping refusal.
import { brotliDecompress, gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';

export type ContentCoding = 'identity' | 'gzip' | 'deflate' | 'br';

/** The coding named by a Content-Encoding header, or undefined when it is one we cannot decode. */
export function contentCoding(header: string | undefined): ContentCoding | undefined {
  // A list means several codings applied in order; only a single one (or identity) is supported.
  const codings = (header ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length > 1) return undefined;
  const [coding] = codings;
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate' || coding === 'br') return coding;
  return undefined;
}

export type DecodeResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: 400 | 413; error: 'invalid_content_encoding' | 'body_too_large' };

type Decoder = (input: InputType, options: ZlibOptions, callback: (err: Error | null, out: Buffer) => void) => void;
const run = (decoder: Decoder, input: Buffer, limit: number) =>
  new Promise<Buffer>((resolve, reject) => decoder(input, { maxOutputLength: Math.max(1, limit) }, (err, out) => (err ? reject(err) : resolve(out))));

export async function decodeBody(bytes: Buffer, coding: ContentCoding, limit: number): Promise<DecodeResult> {
  if (coding === 'identity') return { ok: true, bytes };
  try {
    if (coding === 'gzip') return { ok: true, bytes: await run(gunzip as Decoder, bytes, limit) };
    if (coding === 'br') return { ok: true, bytes: await run(brotliDecompress as Decoder, bytes, limit) };
    // "deflate" is zlib-wrapped by the standard, raw deflate by some old clients.
    try {
      return { ok: true, bytes: await run(inflate as Decoder, bytes, limit) };
    } catch (err) {
      if (isTooLarge(err)) throw err;
      return { ok: true, bytes: await run(inflateRaw as Decoder, bytes, limit) };
    }
  } catch (err) {
    return isTooLarge(err) ? { ok: false, status: 413, error: 'body_too_large' } : { ok: false, status: 400, error: 'invalid_content_encoding' };
  }
}

const isTooLarge = (err: unknown) => (err as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
