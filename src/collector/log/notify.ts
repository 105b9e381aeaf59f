// In-process append notifications: a reader in the same process as the writer hears about appends
// at once, without waiting for the file-system watcher.
const listeners = new Map<string, Set<() => void>>();

export function onLocalAppend(logDir: string, listener: () => void): () => void {
  let set = listeners.get(logDir);
  if (!set) listeners.set(logDir, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(logDir);
  };
}

export function notifyLocalAppend(logDir: string): void {
  const set = listeners.get(logDir);
  if (!set) return;
  for (const listener of [...set]) {
    try {
      listener();
    } catch {
      // A consumer's listener must not break the writer.
    }
  }
}
