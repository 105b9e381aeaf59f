// The panel: Preact, the form and its CSS. The script tag loads this file on its own
// (dist/feedpulse-panel.js, by import() from next to dist/feedpulse.min.js) once the page is idle,
// so none of it is parsed before the page is interactive; the npm build bundles it
// (src/widget/panel/load.ts). Everything it needs from the rest of the widget comes in as arguments,
// so the two files share no module.
// File size: the CSS module first (its string ahead of Preact in the file) saves 11 B brotli.
import { panelRules } from './styles';
import { createRef, h, render } from 'preact';
import { App, type PanelProps } from './app';
import type { AddRules } from '../styles';

export interface Panel {
  open(): void;
  close(): void;
  unmount(): void;
}

export type DrawPanel = (slot: HTMLElement, addRules: AddRules, props: Omit<PanelProps, 'app'>) => Panel;

/** Draws the (closed) panel into `slot` and adds its CSS to the shadow root's styles. */
export const drawPanel: DrawPanel = (slot, addRules, props) => {
  addRules(panelRules);
  const app = createRef<App>();
  // componentDidMount runs inside render(), so the App is there when render() returns.
  render(h(App, { ...props, app }), slot);
  return {
    open: () => app.current!._open(),
    close: () => app.current!._close(),
    unmount: () => render(null, slot),
  };
};
