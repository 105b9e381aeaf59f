// The DOM watcher for a trigger kind: starts listening, calls `fire` when its condition is met and
// returns the function that removes it (nothing for button/manual, which never open by themselves).
// Listeners sit on `window`/`document`, so late-added content is covered and host handlers are untouched.
import type { TriggerSpec } from './trigger-spec';

export function watchTrigger([kind, arg]: TriggerSpec, fire: () => void): (() => void) | undefined {
  if (kind === 'delay') {
    const timer = setTimeout(fire, +arg * 1000);
    return () => clearTimeout(timer);
  }
  let target: Window | Document = window;
  let type = 'scroll';
  let handler: (event: MouseEvent) => void;
  if (kind === 'scroll') {
    // Share of the scrollable height passed. A page that cannot scroll never fires (its content may
    // still be loading); checked once at start for pages restored already scrolled.
    const check = () => {
      const room = (document.scrollingElement || document.documentElement).scrollHeight - innerHeight;
      if (room > 0 && (scrollY / room) * 100 >= +arg) fire();
    };
    check();
    handler = check;
  } else if (kind === 'selector') {
    // Any click on or inside a match, also on elements added later; captured, so a host's
    // stopPropagation() does not hide it. Matched like CSS, in the light DOM: clicks inside a shadow
    // root reach us retargeted to its host, so the widget's own clicks never re-open it.
    target = document;
    type = 'click';
    handler = (event) => {
      if ((event.target as Element).closest?.(arg as string)) fire();
    };
  } else if (kind !== 'exit') {
    return;
  } else if (matchMedia('(hover: none) and (pointer: coarse)').matches) {
    // Touch: a quick flick back up by a third of the screen, from at least half a screen down (the
    // gesture that brings back the address bar on the way out). `peak` is the highest recent point
    // (the last resting point counts in full), sinking by a third of the screen per half second, so
    // reading back up slowly never gets a third of a screen below it.
    let peak = scrollY;
    let last = peak;
    let then = Date.now();
    handler = () => {
      peak = Math.max(scrollY, last, peak - ((Date.now() - then) * innerHeight) / 1500);
      last = scrollY;
      then = Date.now();
      if (peak >= innerHeight / 2 && peak - last >= innerHeight / 3) fire();
    };
  } else {
    // Mouse: the pointer leaves the document through its top edge (towards tabs, address bar, close).
    target = document;
    type = 'mouseout';
    handler = (event) => {
      if (!event.relatedTarget && event.clientY < 10) fire();
    };
  }
  const capture = type === 'click';
  target.addEventListener(type, handler as EventListener, capture);
  return () => target.removeEventListener(type, handler as EventListener, capture);
}
