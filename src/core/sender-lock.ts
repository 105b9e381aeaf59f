// Exactly one tab of an origin sends at a time, so no event goes out twice from two tabs. The Web
// Locks API releases a lock when its tab dies, so a tab closed mid-send hands over at once (events
// leave IndexedDB only after a 2xx, so the next holder sends them again). Without Web Locks: a
// localStorage lease renewed by a heartbeat; a dead tab's lease runs out after LEASE_MS.
const LEASE_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function withSendLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request(name, task) as Promise<T>) : withLease(name, task);
}

async function withLease<T>(name: string, task: () => Promise<T>): Promise<T> {
  // The lease reads "<expiry ms> <holder>".
  const me = ' ' + Math.random();
  let ls: Storage;
  const claim = () => ls.setItem(name, Date.now() + LEASE_MS + me);
  try {
    ls = localStorage;
    // Free or expired: claim it, give a racing tab's claim time to land, and check who won.
    while (parseInt(ls.getItem(name)!) > Date.now() || (claim(), await sleep(30), !ls.getItem(name)?.endsWith(me))) await sleep(200);
  } catch {
    return task(); // no localStorage either: this page is on its own
  }
  const beat = setInterval(claim, LEASE_MS / 3);
  try {
    return await task();
  } finally {
    clearInterval(beat);
    ls.removeItem(name);
  }
}
