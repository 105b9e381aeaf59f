// Puts the widget in the page: a <feedpulse-widget> element with an open shadow root holding the
// launcher, the panel and all of their CSS. The launcher is plain DOM, drawn as soon as the copy is
// ready (at once, or when the script tag's locale file arrives), so the page never shows one language
// and then another. The panel code (Preact, the form, its CSS) is loaded once the page is idle,
// or at once when the visitor points at the launcher or something asks to open; it is drawn on its
// first open. An open() asked for before all of that (or before <body>) is kept and done then.
import type { FeedpulseClient } from '../core/types';
import { watchRoutes } from '../core/routes';
import type { Copy } from './locales/index';
import type { Settings } from './settings';
import { createHost } from './element';
import { applyStyles, launcherRules } from './styles';
import type { ArmedTriggers } from './triggers';
import type { DrawPanel, Panel } from './panel/index';
import { loadPanel } from './panel/load';
import { whenIdle } from './idle';

export interface View {
  open(): void;
  close(): void;
  unmount(): void;
}

export function mount(settings: Settings, client: FeedpulseClient, triggers: ArmedTriggers, followRoutes: boolean): View {
  const host = createHost();
  const shadow = host.attachShadow({ mode: 'open' });
  const addRules = applyStyles(shadow, launcherRules);
  if (settings.accent) host.style.setProperty('--feedpulse-accent', settings.accent);
  const root = document.createElement('div');
  root.className = 'root';
  root.dataset.theme = settings.theme;
  root.dataset.position = settings.position;
  // The panel draws itself into this slot (it replaces whatever it finds in its container).
  const slot = document.createElement('div');
  root.append(slot);
  shadow.append(root);

  let copy: Copy | undefined;
  let launcher: HTMLButtonElement | undefined;
  let draw: DrawPanel | undefined;
  let loading: Promise<void> | undefined;
  let panel: Panel | undefined;
  let wanted = false;
  let gone = false;
  let stopRoutes: (() => void) | undefined;

  /** Opens the panel once everything it needs is there: the copy, the panel code and a host in the page. */
  const openWhenReady = () => {
    if (!wanted || gone || !copy || !draw || !host.isConnected) return;
    wanted = false;
    panel ??= draw(slot, addRules, { settings, copy, client, answered: () => triggers.answered(), launcher: () => launcher });
    panel.open();
  };
  const fetchPanel = () => {
    if (draw || loading || gone) return;
    const code = loadPanel();
    if (typeof code === 'function') {
      draw = code;
      return;
    }
    loading = code.then(
      (loaded) => {
        draw = loaded;
        openWhenReady();
      },
      (error: unknown) => {
        // Offline before it ever loaded, say: the next open() tries again.
        loading = undefined;
        console.warn('feedpulse: the feedback panel could not be loaded; ' + error);
      },
    );
  };
  const open = () => {
    wanted = true;
    fetchPanel();
    openWhenReady();
  };

  // The launcher shows only where the triggers allow it (the `button` trigger, on a page `pages`
  // allows), checked again on SPA route changes when there is a `pages` rule.
  const placeLauncher = () => {
    if (!launcher) return;
    if (triggers.showLauncher) root.prepend(launcher);
    else launcher.remove();
  };
  const drawLauncher = (ready: Copy) => {
    if (gone) return;
    copy = ready;
    root.dir = ready.dir;
    root.lang = ready.lang;
    launcher = document.createElement('button');
    launcher.className = 'launcher';
    launcher.setAttribute('aria-haspopup', 'dialog');
    launcher.textContent = ready.text.launcher;
    // The site's own text may be in another language: its direction from its first strong letter.
    launcher.dir = 'auto';
    launcher.lang = ready.langOf('launcher');
    launcher.addEventListener('click', open);
    // Pointing at the launcher or tabbing to it comes before a click: load the panel now if idle time
    // has not come yet.
    launcher.addEventListener('pointerenter', fetchPanel);
    launcher.addEventListener('focus', fetchPanel);
    placeLauncher();
    if (followRoutes) stopRoutes = watchRoutes(placeLauncher);
    openWhenReady();
  };
  const attach = () => {
    document.body.append(host);
    openWhenReady();
  };
  const { copy: copyOrPromise } = settings;
  if ('then' in copyOrPromise) copyOrPromise.then(drawLauncher);
  else drawLauncher(copyOrPromise);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
  whenIdle(fetchPanel);

  return {
    open,
    close: () => {
      wanted = false;
      panel?.close();
    },
    unmount: () => {
      gone = true;
      stopRoutes?.();
      document.removeEventListener('DOMContentLoaded', attach);
      panel?.unmount();
      host.remove();
    },
  };
}
