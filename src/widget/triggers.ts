// When the widget opens on its own (`trigger`, docs/script-tag.md), on which pages (`pages`) and how long an
// answer keeps it quiet (`once`). init() calls armTriggers once; the returned handle lives as long as
// the widget. Route changes (SPA) re-check the page: a new path is a new page view, and a pending
// trigger is cancelled (and restarted if the new path matches).
import { parseTrigger } from './trigger-spec';
import { compilePages, currentPath } from './pages';
import { answeredWithin, parseOnceDays, rememberAnswer } from './once';
import { watchTrigger } from './trigger-watch';
import { watchRoutes } from '../core/routes';

export interface TriggerOptions {
  trigger?: string;
  pages?: string;
  /** Days; numeric text (from data-once) is accepted too. */
  once?: number | string;
  project: string;
}

export interface ArmedTriggers {
  /** Removes every listener and timer; nothing opens on its own afterwards. */
  stop(): void;
  /** The visitor sent feedback: no more auto-opens on this page load, nor for `once` days. */
  answered(): void;
  /** True for the `button` trigger on a page the `pages` rule allows (read at mount time). */
  readonly showLauncher: boolean;
}

export function armTriggers(options: TriggerOptions, open: () => void, warn: (msg: string) => void): ArmedTriggers {
  const spec = parseTrigger(options.trigger, warn);
  const onPage = compilePages(options.pages, warn);
  const days = parseOnceDays(options.once, warn);
  const { project } = options;
  // Clicking a `selector:` element is the visitor asking; delay/scroll/exit are us asking, once per
  // page view and not after an answer.
  const asking = spec[0] !== 'selector';
  let answered = false;
  let lastPath: string | undefined;
  let unwatch: (() => void) | undefined;

  const disarm = () => {
    unwatch?.();
    unwatch = undefined;
  };
  const quiet = () => asking && (answered || answeredWithin(project, days));
  const fire = () => {
    if (quiet()) return;
    if (asking) disarm();
    open();
  };
  // button and manual never open by themselves: no watcher, no route watching, and no storage read
  // for `once` at start-up (a page's first synchronous storage access costs milliseconds).
  const opensItself = spec[0] !== 'button' && spec[0] !== 'manual';
  const check = () => {
    const path = currentPath();
    if (path === lastPath) return;
    lastPath = path;
    disarm();
    if (onPage(path) && !quiet()) unwatch = watchTrigger(spec, fire);
  };
  const unroute = opensItself ? watchRoutes(check) : undefined;
  if (opensItself) check();

  return {
    stop() {
      disarm();
      unroute?.();
    },
    answered() {
      answered = true;
      if (days > 0) rememberAnswer(project);
      if (asking) disarm();
    },
    get showLauncher() {
      return spec[0] === 'button' && onPage(currentPath());
    },
  };
}
