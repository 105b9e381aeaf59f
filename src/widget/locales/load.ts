// The non-English copy for the npm build (dist/index.js): bundled, so SPA bundlers need nothing
// special. The script-tag build swaps this module for ./load-lazy.ts (see rollup.config.mjs).
import de from './de';
import fr from './fr';
import es from './es';
import ja from './ja';
import ar from './ar';

const table: Record<string, string> = { de, fr, es, ja, ar };

export const load = (lang: string): string | Promise<string> => table[lang];
