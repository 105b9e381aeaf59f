// Serves files from a folder, safely: no path outside it (also not through a symlink), no
// dotfiles, known content types.
import { readFile, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

const isInside = (root: string, file: string) => file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);

/** The file for a URL path inside `root`, or null when it would leave it or touch a dotfile (by the path's text alone). */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) return null;
  const file = normalize(join(root, decoded.endsWith('/') ? `${decoded}index.html` : decoded));
  return isInside(root, file) ? file : null;
}

/**
 * The file's real path when it is inside the real `root`, else null. A symlink inside the folder
 * (a file or a folder) could lead anywhere the process may read; the root itself may be a symlink.
 */
export async function realFileInside(root: string, file: string): Promise<string | null> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    return isInside(realRoot, realFile) ? realFile : null;
  } catch {
    return null; // missing, or a dangling link
  }
}

/** Sends the file for `urlPath` from inside `root` (resolveInside + realFileInside); false when there is none (the caller answers 404). */
export async function sendFileInside(res: ServerResponse, root: string, urlPath: string, headers: Record<string, string> = {}, head = false): Promise<boolean> {
  const file = resolveInside(root, urlPath);
  const real = file && (await realFileInside(root, file));
  // The type comes from the name asked for, not from where a link points.
  return real ? sendFile(res, real, { 'content-type': contentType(file), ...headers }, head) : false;
}

const contentType = (file: string) => TYPES[extname(file)] ?? 'application/octet-stream';

/** Sends the file; false when it does not exist (the caller answers 404). For files named by the server; use sendFileInside for URL paths. */
export async function sendFile(res: ServerResponse, file: string, headers: Record<string, string> = {}, head = false): Promise<boolean> {
  let body: Buffer;
  try { body = await readFile(file); } catch { return false; }
  res.writeHead(200, {
    'content-type': contentType(file),
    'content-length': String(body.length),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(head ? undefined : body);
  return true;
}
