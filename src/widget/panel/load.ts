// The panel for the npm build (dist/index.js): bundled, so SPA bundlers need nothing special. The
// script-tag build swaps this module for ./load-lazy.ts (see rollup.config.mjs).
import { drawPanel, type DrawPanel } from './index';

export const loadPanel = (): DrawPanel | Promise<DrawPanel> => drawPanel;
