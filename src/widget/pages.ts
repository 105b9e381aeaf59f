// The `pages` URL match rule: comma-separated globs on the URL path, compiled to one RegExp. `*` matches
// any run of characters (slashes included), `!` excludes, a trailing `/*` also matches the bare folder,
// a trailing slash and letter case are ignored. No include pattern means every page; an exclude wins.

/** Without a trailing slash, except for `/` itself. */
const normal = (path: string) => path.replace(/(.)\/+$/, '$1');

// Paths are compared as the browser gives them, percent-encoded (`/caf%C3%A9`), so a pattern for a
// non-ASCII path is written escaped.
// file size hacks: not decoding paths saves 37 B brotli in dist/feedpulse.min.js.
const glob = (pattern: string) =>
  normal(
    pattern
      .replace(/^https?:\/\/[^/]*/i, '') // marketers paste whole URLs: keep only the path
      .replace(/^(?![/*])/, '/'),
  )
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\/\.\*$/, '(/.*)?');

/** The current route's path: the hash route for `#/…` and `#!/…` hash routers, else `location.pathname`. */
export const currentPath = (): string => /^#!?(\/[^?]*)/.exec(location.hash)?.[1] ?? location.pathname;

/** Compiles a rule such as `/checkout*, /cart, !/checkout/done`. An empty `!` part gives one warning. */
export function compilePages(rule: string | undefined, warn: (msg: string) => void): (path: string) => boolean {
  const include: string[] = [];
  const exclude: string[] = [];
  for (let part of (rule ?? '').split(',')) {
    part = part.trim();
    const not = part[0] === '!';
    part = part.slice(+not).trim();
    if (part) (not ? exclude : include).push(glob(part));
  }
  if (/!\s*(,|$)/.test(rule!)) warn(`feedpulse: pages ${JSON.stringify(rule)} is not valid; ignoring its empty "!" pattern`);
  const re = RegExp(`^${exclude[0] ? `(?!(${exclude.join('|')})$)` : ''}(${include.join('|') || '.*'})$`, 'i');
  return (path) => re.test(normal(path));
}
