// Puts the widget in the page: a <feedpulse-widget> element with an open shadow root holding the
// Preact tree and all of its CSS. The tree is drawn once the copy is ready (at once, or when the
// script tag's locale file arrives), so the panel never shows one language and then another; an
// open() asked for before that (or before <body>) is kept and done then.
import { h, render } from 'preact';
import type { FeedpulseClient } from '../core/types';
import type { Copy } from './locales/index';
import type { Settings } from './settings';
import { App, type Controls } from './app';
import { createHost } from './element';
import { applyStyles } from './styles';
import type { ArmedTriggers } from './triggers';

export interface View {
  open(): void;
  close(): void;
  unmount(): void;
}

export function mount(settings: Settings, client: FeedpulseClient, triggers: ArmedTriggers, followRoutes: boolean): View {
  const host = createHost();
  const shadow = host.attachShadow({ mode: 'open' });
  applyStyles(shadow);
  if (settings.accent) host.style.setProperty('--feedpulse-accent', settings.accent);
  const controls: Controls = {};
  let wanted = false;
  let gone = false;

  const open = () => {
    wanted = !controls.open || !host.isConnected;
    if (!wanted) controls.open!();
  };
  const later = () => wanted && open();
  const draw = (copy: Copy) => {
    if (gone) return;
    render(h(App, { settings, copy, client, controls, triggers, followRoutes }), shadow);
    later();
  };
  const attach = () => {
    document.body.append(host);
    later();
  };
  const { copy } = settings;
  if ('then' in copy) copy.then(draw);
  else draw(copy);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });

  return {
    open,
    close: () => {
      wanted = false;
      controls.close?.();
    },
    unmount: () => {
      gone = true;
      document.removeEventListener('DOMContentLoaded', attach);
      render(null, shadow);
      host.remove();
    },
  };
}
