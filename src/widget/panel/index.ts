// The panel: Preact, the form and its CSS. The script tag loads this file on its own
// (dist/feedpulse-panel.js, by import() from next to dist/feedpulse.min.js) once the page is idle,
// so none of it is parsed before the page is interactive; the npm build bundles it
// (src/widget/panel/load.ts). Everything it needs from the rest of the widget comes in as arguments,
// so the two files share no module.
import { h, render } from 'preact';
import { App, type Controls, type PanelProps } from './app';
import { panelRules } from './styles';
import type { AddRules } from '../styles';

export interface Panel {
  open(): void;
  close(): void;
  unmount(): void;
}

export type DrawPanel = (slot: HTMLElement, addRules: AddRules, props: Omit<PanelProps, 'controls'>) => Panel;

/** Draws the (closed) panel into `slot` and adds its CSS to the shadow root's styles. */
export const drawPanel: DrawPanel = (slot, addRules, props) => {
  addRules(panelRules);
  const controls: Controls = {};
  // componentDidMount runs inside render(), so the controls are set when it returns.
  render(h(App, { ...props, controls }), slot);
  return {
    open: () => controls.open!(),
    close: () => controls.close!(),
    unmount: () => render(null, slot),
  };
};
