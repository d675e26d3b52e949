// The log destination (observability/log-destination.ts) never makes the process wait: a
// pipe nobody reads takes what fits, queues a bounded amount and drops the rest, counted,
// at once; when the reader comes back the lines flow again and one line says how many were
// lost. A device that refuses every write (/dev/full: ENOSPC) drops and counts too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogDestination } from '../../src/observability/log-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

test('a stalled pipe: lines beyond the bounded queue are dropped and counted at once; a returning reader gets the rest and the count', async () => {
  const tmp = makeTempDir();
  after(() => tmp.remove());
  const fifo = join(tmp.dir, 'log.fifo');
  execFileSync('mkfifo', [fifo]);
  const fd = openSync(fifo, 'r+'); // a writer that needs no reader to open; nobody reads yet
  const dest = createLogDestination({ fd, maxQueuedBytes: 10_000, lostLine: (n) => `LOST ${n}\n` });
  const line = (i: number) => `${String(i).padStart(5, '0')} ${'x'.repeat(93)}\n`; // 100 bytes
  // 1 MB of lines against a 64 KB pipe, in one synchronous burst: nothing here may wait.
  for (let i = 0; i < 10_000; i++) dest.write(line(i));
  // Line 0 went to the pipe, 100 lines (10,000 bytes) wait in the queue, the rest is gone.
  assert.equal(dest.dropped, 10_000 - 1 - 100);

  // Non-blocking, as a libuv pipe: a blocking read of a FIFO could never be cancelled.
  const reader = new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
  let got = '';
  reader.on('data', (c) => (got += c.toString()));
  after(() => reader.destroy());
  await waitUntil(() => got.includes(line(100)), 10_000, 'the queued lines and the report of the loss', 5);
  const lines = got.split('\n').filter(Boolean);
  assert.equal(lines[0], line(0).trimEnd());
  assert.equal(lines[1], `LOST ${10_000 - 101}`, 'the gap is reported where it is');
  assert.deepEqual(lines.slice(2, 102), Array.from({ length: 100 }, (_, i) => line(i + 1).trimEnd()));
  dest.write('after\n');
  await waitUntil(() => got.endsWith('after\n'), 10_000, 'a line written after the reader came back', 5);
  assert.equal(dest.dropped, 10_000 - 101, 'nothing more was lost');
});

test('a destination that fails every write (/dev/full): every line is dropped and counted, and it is tried again with the next', async () => {
  const dest = createLogDestination({ fd: openSync('/dev/full', 'w') });
  for (let i = 0; i < 10; i++) dest.write(`line ${i}\n`);
  await waitUntil(() => dest.dropped >= 1, 10_000, 'the first write failed', 5);
  dest.write('one more\n'); // the next line carries the queued ones along
  await waitUntil(() => dest.dropped === 11, 10_000, 'all eleven dropped', 5);
});
