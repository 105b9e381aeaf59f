// The ceiling for the collector benchmark: a bare node:http server that only reads and parses the
// JSON body and answers 200 with the same answer shape (no validation, no storage).
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let accepted = 0;
    try {
      accepted = JSON.parse(Buffer.concat(chunks).toString('utf8')).events.length;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const body = JSON.stringify({ accepted, duplicates: 0, rejected: [] });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port, pid: process.pid })}\n`));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
