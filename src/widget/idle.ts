// Runs `task` when the page is idle after it has loaded, so work that can wait does not compete with
// the page's own start-up: requestIdleCallback (at most 2 s after `load`) where there is one, else a
// timeout after `load`.
export function whenIdle(task: () => void): void {
  const later = () => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 2000 });
    else setTimeout(task, 200);
  };
  if (document.readyState === 'complete') later();
  else addEventListener('load', later, { once: true });
}
