// on/emit for the client's `sent`, `error` and `drop` events. A handler that throws is the host's
// bug; it must not stop delivery or reach the SDK's own code paths.
import type { ClientEventName, ClientEvents } from './types';

export type Emit = <K extends ClientEventName>(name: K, info: ClientEvents[K]) => void;
export type On = <K extends ClientEventName>(name: K, handler: (info: ClientEvents[K]) => void) => () => void;

export function createEmitter(): { on: On; emit: Emit } {
  const handlers: Record<string, Set<(info: never) => void>> = {};
  return {
    on(name, handler) {
      const set = (handlers[name] ||= new Set()).add(handler);
      return () => set.delete(handler);
    },
    emit(name, info) {
      handlers[name]?.forEach((h) => { try { h(info as never); } catch { /* host's handler */ } });
    },
  };
}
