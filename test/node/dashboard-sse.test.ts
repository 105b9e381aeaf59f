// The dashboard's SSE hub: a stream that stops reading is cut once too much waits for it (instead
// of buffering every push in the server without bound), while a reading stream keeps getting
// every push.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseHub, type SseHub } from '../../src/consumer/dashboard/sse';
import { waitFor } from '../helpers/consumer';

describe('SSE hub', () => {
  let server: Server | undefined;
  let hub: SseHub | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    hub?.close();
    if (server) await new Promise((r) => server!.close(r));
    server = undefined;
  });

  it('cuts a stream that stops reading, keeps one that reads', async () => {
    hub = createSseHub(60_000, 256 * 1024);
    server = createServer((req, res) => hub!.add(req, res));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const open = (read: boolean) => new Promise<{ socket: Socket; received: () => number; closed: () => boolean }>((resolve) => {
      let bytes = 0;
      let closed = false;
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('GET /dashboard/stream HTTP/1.1\r\nHost: x\r\n\r\n');
        resolve({ socket, received: () => bytes, closed: () => closed });
      });
      socket.setNoDelay(true);
      socket.on('data', (chunk) => { bytes += chunk.length; if (!read) socket.pause(); });
      socket.on('close', () => { closed = true; });
      sockets.push(socket);
    });
    const stalled = await open(false);
    const reader = await open(true);
    await waitFor(() => hub!.size() === 2, 5000, 'two streams');

    const view = { blob: 'x'.repeat(64 * 1024) };
    let pushes = 0;
    for (let i = 0; i < 400 && hub.size() === 2; i++) {
      hub.broadcast('view', () => view);
      pushes++;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(hub.size()).toBe(1);
    // Reading again, the stalled client finds its connection closed (EventSource would reconnect).
    stalled.socket.removeAllListeners('data');
    stalled.socket.resume();
    await waitFor(() => stalled.closed(), 5000, 'the stalled stream to be closed');
    // The reading stream got every push and is still open.
    await waitFor(() => reader.received() >= pushes * 64 * 1024, 5000, 'the reader to get every push');
    expect(reader.closed()).toBe(false);
  });
});
