// The dashboard's one polite live region (#announce). Only meaningful changes go through here
// (a simulation started, finished or failed; the connection lost or back; updates paused), and
// never more than one message per GAP_MS: a burst keeps only its newest message.
import { byId } from './dom.js';

const GAP_MS = 1500;
let lastAt = 0;
let queued;
let timer;

export function announce(message) {
  queued = message;
  if (timer) return;
  const wait = Math.max(0, lastAt + GAP_MS - Date.now());
  timer = setTimeout(() => {
    timer = undefined;
    lastAt = Date.now();
    const region = byId('announce');
    if (region && region.textContent !== queued) region.textContent = queued;
  }, wait);
}
