// The reference the gateway's ingest is measured against: what the camera protocol asks of
// any server, minus storage — express 5 + express.json answering with the contract's JSON
// reply body, and a Socket.IO 4.8 server answering each lpr_data with the reply body in the
// ack and the lpr_response event — on one HTTP server, the same options the gateway uses,
// in its own process. Plain JavaScript, run without the TypeScript loader, so its RSS is
// the frameworks' own.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';

const LIMIT = 4 * 1024 * 1024;
const app = express();
app.use(express.json({ limit: LIMIT, type: () => true, strict: false }));
const reply = () => ({ success: true, message: 'Detection data received', detection_id: randomUUID() });
app.post('/api/statistics', (_req, res) => {
  res.json(reply());
});
const server = createServer(app);
const io = new Server(server, { maxHttpBufferSize: LIMIT * 4 });
io.on('connection', (socket) => {
  socket.on('lpr_data', (_msg, ack) => {
    const body = reply();
    socket.emit('lpr_response', body);
    ack?.(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
