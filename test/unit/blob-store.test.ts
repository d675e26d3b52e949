// Image files on disk: written once per content, read back, pinned files survive removal,
// listing finds exactly the stored files, and only well-formed hashes are ever deleted.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BlobStore } from '../../src/log/blob-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const blob = (n = 1000) => {
  const data = randomBytes(n);
  return { sha256: createHash('sha256').update(data).digest('hex'), data };
};

/** A fresh store in a temp dir for `body`, removed afterwards. */
async function withStore(body: (store: BlobStore, dir: string) => Promise<void>): Promise<void> {
  const tmp = makeTempDir();
  try {
    const store = new BlobStore(join(tmp.dir, 'blobs'));
    await store.open();
    await body(store, tmp.dir);
  } finally {
    tmp.remove();
  }
}

test('put, read back, write each content once, list what is there', () => withStore(async (store) => {
    const a = blob();
    const b = blob();
    await store.putAll([a, b, a]);
    assert.deepEqual(await store.read(a.sha256), a.data);
    assert.equal(await store.has(b.sha256), true);
    assert.equal(await store.read('0'.repeat(64)), undefined);
    const listed = [];
    for await (const f of store.list()) listed.push(f);
    assert.deepEqual(listed.map((f) => f.sha256).sort(), [a.sha256, b.sha256].sort());
    assert.ok(listed.every((f) => f.bytes === 1000));
}));

test('removeUnreferenced: pinned files stay until released; malformed names are never touched', () => withStore(async (store, dir) => {
    const a = blob();
    const b = blob();
    await store.putAll([a, b]);
    const release = store.pin([a.sha256]);
    await store.removeUnreferenced([a.sha256, b.sha256]);
    assert.equal(await store.has(a.sha256), true, 'pinned by an ingest in flight');
    assert.equal(await store.has(b.sha256), false);
    release();
    release(); // a second release changes nothing
    await store.removeUnreferenced([a.sha256]);
    assert.equal(await store.has(a.sha256), false);
    const outside = join(dir, 'keep.txt');
    writeFileSync(outside, 'x');
    await store.removeUnreferenced(['../keep.txt', '../../keep.txt']);
    assert.equal(existsSync(outside), true, 'no path outside the store is ever removed');
}));
