// SPA route changes for all listeners together. Where the browser has the Navigation API
// (`navigation`, Chromium 102+), its `currententrychange` event says when the URL may have moved
// (pushState, replaceState, back/forward, a hash link) and a check follows 250 ms later; elsewhere
// location.href is polled four times a second. Either way a capture listener on window checks
// before every click (it runs ahead of the click autocapture on document, so a click right after a
// route change follows its pageview).
// Neither wraps history.pushState/replaceState: the host's globals are left alone (no wrapper chains
// with other scripts, nothing to restore), and routers that kept a reference to the original
// pushState are seen too.
// Listeners fire once per real change of location.href, up to 250 ms after it, so a redirect (push
// then replace) counts once and the app has set document.title. Started with the first listener,
// stopped with the last.
// Page load: the poll wakes the main thread 12 times in a page's first 3 s; the event costs nothing
// until the URL changes (bench/ section `load`: about 2 ms less added main-thread time).
const listeners = new Set<() => void>();
const SETTLE_MS = 250;
let last = '';
let stopWatching = () => {};

/** The Navigation API's event target, where the browser has one (not in TypeScript's DOM types yet). */
type NavigationTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

const check = () => {
  if (last !== (last = location.href)) listeners.forEach((f) => { try { f(); } catch { /* a listener's bug stays its own */ } });
};

function watchLocation(): () => void {
  const navigation = (globalThis as { navigation?: NavigationTarget }).navigation;
  if (!navigation) {
    const timer = setInterval(check, SETTLE_MS);
    return () => clearInterval(timer);
  }
  let settle: ReturnType<typeof setTimeout> | undefined;
  // One pending check at a time: a burst of changes (a redirect) is looked at once, after it.
  const changed = () => {
    settle ??= setTimeout(() => {
      settle = undefined;
      check();
    }, SETTLE_MS);
  };
  navigation.addEventListener('currententrychange', changed);
  return () => {
    clearTimeout(settle);
    navigation.removeEventListener('currententrychange', changed);
  };
}

export function watchRoutes(onRoute: () => void): () => void {
  try {
    if (!listeners.size) {
      last = location.href;
      stopWatching = watchLocation();
      addEventListener('click', check, true);
    }
    listeners.add(onRoute);
  } catch { /* no location (server-side rendering): no route events */ }
  return () => {
    if (listeners.delete(onRoute) && !listeners.size) {
      stopWatching();
      removeEventListener('click', check, true);
    }
  };
}
