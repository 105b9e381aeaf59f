// Reading a request body with a byte limit that is enforced while streaming and a timer: a body over
// the limit is refused as soon as the limit is crossed (or at once from Content-Length), never
// buffered whole, and a body that trickles in is cut at the timer (a slow client holds no slot).
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  /** `parsed`: a framework read (and decoded) the body before us; `stream`: read here, as sent. */
  | { ok: true; bytes: Buffer; from: 'stream' | 'parsed' }
  | { ok: false; status: 400 | 408 | 413; error: 'body_too_large' | 'body_timeout' | 'body_aborted' };

/** Frameworks that parse bodies themselves (Express, Fastify) leave the result on `req.body`. */
interface MaybeParsed extends IncomingMessage {
  body?: unknown;
  rawBody?: unknown;
}

export function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<BodyResult> {
  const parsed = alreadyRead(req as MaybeParsed);
  if (parsed) return Promise.resolve(parsed.length > limit ? tooLarge() : { ok: true, bytes: parsed, from: 'parsed' });

  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(tooLarge());

  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (!result.ok) req.pause(); // stop pulling the rest of a refused body
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), from: 'stream' });
    const onError = () => finish({ ok: false, status: 400, error: 'body_aborted' });
    const onAborted = onError;
    const timer = setTimeout(() => finish({ ok: false, status: 408, error: 'body_timeout' }), timeoutMs);
    timer.unref();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

const tooLarge = (): BodyResult => ({ ok: false, status: 413, error: 'body_too_large' });

function alreadyRead(req: MaybeParsed): Buffer | undefined {
  const raw = req.rawBody ?? req.body;
  if (!req.readableEnded && !Buffer.isBuffer(req.rawBody)) return undefined;
  if (raw === undefined || raw === null) return Buffer.alloc(0); // consumed by someone else: nothing left
  if (Buffer.isBuffer(raw)) return raw;
  if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
  if (typeof raw === 'object') {
    try {
      return Buffer.from(JSON.stringify(raw), 'utf8');
    } catch {
      return Buffer.from('!', 'utf8'); // unserialisable: let the JSON parse refuse it
    }
  }
  return Buffer.from(String(raw), 'utf8');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: 'invalid_utf8' | 'malformed_json'; detail?: string };

/** Strict UTF-8 (invalid byte sequences are refused, not replaced) and plain JSON.parse. */
export function parseJsonBody(bytes: Buffer): ParseResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, error: 'invalid_utf8' };
  }
  try {
    // JSON.parse makes `__proto__` an ordinary own property (it never sets a prototype); validation
    // refuses such keys and copies only known fields.
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    // JSON.parse says where it stopped ("... in JSON at position 12"), which a person fixing a
    // hand-written body needs; its excerpt of the body is capped so an answer stays small.
    return { ok: false, error: 'malformed_json', detail: String((err as Error).message).slice(0, 200) };
  }
}
