// Exactly one tab of an origin sends at a time, so no event goes out twice from two tabs. The Web
// Locks API releases a lock when its tab dies, so a tab closed mid-send hands over at once (events
// leave IndexedDB only after a 2xx, so the next holder sends them again). Without Web Locks: a
// localStorage lease renewed by a heartbeat; a dead tab's lease runs out after LEASE_MS.
const LEASE_MS = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function withSendLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request(name, task) as Promise<T>) : withLease(name, task);
}

async function withLease<T>(name: string, task: () => Promise<T>): Promise<T> {
  // The lease reads "<expiry ms> <holder>".
  const me = ' ' + Math.random();
  let storage: Storage;
  const claim = () => storage.setItem(name, Date.now() + LEASE_MS + me);
  try {
    storage = localStorage;
    for (;;) {
      // Free or expired: claim it, give a racing tab's claim time to land, and check who won.
      if (!(parseInt(storage.getItem(name)!) > Date.now())) {
        claim();
        await sleep(30);
        if (storage.getItem(name)?.endsWith(me)) break;
      }
      await sleep(200);
    }
  } catch {
    return task(); // no localStorage either: this page is on its own
  }
  const heartbeat = setInterval(claim, LEASE_MS / 3);
  try {
    return await task();
  } finally {
    clearInterval(heartbeat);
    storage.removeItem(name);
  }
}
