// Hotlist writes at once: 200 concurrent PUT, DELETE and import calls on a handful of plates.
// Every write goes through one serialised path, so the answers describe a sequential
// history: for each plate, "created" and "removed" answers alternate, and what is left
// equals created − removed (0 or 1) — in the table, in GET /api/admin/hotlist and in
// lprgw_hotlist_entries. (Two PUTs of one plate both answered 201 and the count became 2
// with one row; a DELETE racing a PUT left one row and a count of 0.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { scrape } from '../helpers/metrics.js';
import { seededRandom } from '../helpers/wait-and-seed.js';

const TOKEN = 'race-admin-token';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const PLATES = ['กข1234', 'AB123', 'ZZ9', 'กก1', 'XY77'];

test('200 concurrent hotlist writes on five plates: the answers are one sequential history and the count is the rows', async (t) => {
  const gw = await startTestGateway({ admin: { token: TOKEN }, mqtt: { enabled: false } });
  const { random } = seededRandom(t);
  try {
    const calls = Array.from({ length: 200 }, () => {
      const plate = PLATES[Math.floor(random() * PLATES.length)]!;
      const url = `${gw.url}/api/admin/hotlist`;
      const reason = `r${Math.floor(random() * 3)}`; // same content sometimes: "updated" without a write
      switch (Math.floor(random() * 3)) {
        case 0:
          return fetch(`${url}/${encodeURIComponent(plate)}`, { method: 'PUT', headers, body: JSON.stringify({ reason }) })
            .then(async (r) => ({ plate, created: r.status === 201 ? 1 : 0, removed: 0, status: r.status, body: await r.json() }));
        case 1:
          return fetch(`${url}/${encodeURIComponent(plate)}`, { method: 'DELETE', headers })
            .then(async (r) => ({ plate, created: 0, removed: r.status === 200 ? 1 : 0, status: r.status, body: await r.json() }));
        default:
          return fetch(`${url}/import`, { method: 'POST', headers, body: JSON.stringify([{ plate, reason }]) })
            .then(async (r) => {
              const body = (await r.json()) as { created: number };
              return { plate, created: body.created, removed: 0, status: r.status, body };
            });
      }
    });
    const answers = await Promise.all(calls);
    for (const a of answers) assert.ok([200, 201, 404].includes(a.status), `answered ${a.status}: ${JSON.stringify(a.body)}`);

    const listed = await (await fetch(`${gw.url}/api/admin/hotlist`, { headers })).json() as { data: { key: string }[] };
    for (const plate of PLATES) {
      const mine = answers.filter((a) => a.plate === plate);
      const net = mine.reduce((n, a) => n + a.created - a.removed, 0);
      const rows = listed.data.filter((e) => e.key === plate).length;
      assert.ok(net === 0 || net === 1, `${plate}: created − removed is ${net}, not a sequential history`);
      assert.equal(rows, net, `${plate}: ${rows} rows, answers say ${net}`);
    }
    assert.equal((await scrape(gw.url))('lprgw_hotlist_entries'), listed.data.length, 'lprgw_hotlist_entries equals the rows');
    assert.equal(gw.gateway.hotlist.size, listed.data.length);
  } finally {
    await gw.stop();
  }
});
