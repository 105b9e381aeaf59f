// Serves files from a folder, safely: no path outside it, no dotfiles, known content types.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** The file for a URL path inside `root`, or null when it would leave it or touch a dotfile. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) return null;
  const file = normalize(join(root, decoded.endsWith('/') ? `${decoded}index.html` : decoded));
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

/** Sends the file; false when it does not exist (the caller answers 404). */
export async function sendFile(res: ServerResponse, file: string, headers: Record<string, string> = {}, head = false): Promise<boolean> {
  let body: Buffer;
  try { body = await readFile(file); } catch { return false; }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(body.length),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(head ? undefined : body);
  return true;
}
