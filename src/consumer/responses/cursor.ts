// The opaque keyset cursor of the responses list: the last row's (at, id), so the next page starts
// strictly after it in ORDER BY at DESC, id DESC. `at` travels as whole microseconds since the
// epoch (what the database stores), so no row is skipped or repeated at millisecond rounding.

export interface ResponsesCursor { atMicros: number; id: string }

export const encodeCursor = (c: ResponsesCursor): string => Buffer.from(JSON.stringify([c.atMicros, c.id])).toString('base64url');

/** The cursor, or undefined when `text` is not one this server made. */
export function decodeCursor(text: string): ResponsesCursor | undefined {
  if (text.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let value: unknown;
  try { value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')); } catch { return undefined; }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [atMicros, id] = value as unknown[];
  // A NUL cannot be in any stored id (no text column holds one): the database would refuse the query.
  if (typeof atMicros !== 'number' || !Number.isSafeInteger(atMicros) || typeof id !== 'string' || id.length > 256 || id.includes('\u0000')) return undefined;
  return { atMicros, id };
}
