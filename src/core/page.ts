// The page part of every event. Query and fragment parameters whose names look secret
// (token, password, key, auth, session, code, signature, ...) have their values replaced by
// "redacted" in url and referrer, so reset links and OAuth callbacks do not leak into analytics.
import type { PageContext } from './types';

// One pattern, no callback: a parameter whose name holds a secret-looking word, or is exactly
// key / api_key / apikey / api-key / code (OAuth), keeps its name and loses its value.
export const redactUrl = (url: string): string =>
  url.replace(/([?&#;]([^=&#;]*(pass|pwd|secret|token|auth|session|sig|jwt)[^=&#;]*|(api[_-]?)?key|code)=)[^&#;]*/gi, '$1redacted');

export function pageContext(): PageContext {
  try {
    const l = location, d = document;
    return { url: redactUrl(l.href), path: l.pathname, title: d.title, referrer: redactUrl(d.referrer) };
  } catch {
    return { url: '', path: '' };
  }
}
