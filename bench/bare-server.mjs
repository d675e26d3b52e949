// The reference the gateway's ingest is measured against: the bare frameworks doing
// nothing but answer — express 5 + express.json for REST, a Socket.IO 4.8 ack server for
// Socket.IO — on one HTTP server, the same options the gateway uses, in its own process.
// Plain JavaScript, run without the TypeScript loader, so its RSS is the frameworks' own.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';

const LIMIT = 4 * 1024 * 1024;
const app = express();
app.use(express.json({ limit: LIMIT, type: () => true, strict: false }));
app.post('/api/statistics', (_req, res) => {
  res.json({ success: true });
});
const server = createServer(app);
const io = new Server(server, { maxHttpBufferSize: LIMIT * 4 });
io.on('connection', (socket) => {
  socket.on('lpr_data', (_msg, ack) => ack?.({ success: true }));
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
