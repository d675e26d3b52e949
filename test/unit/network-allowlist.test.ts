import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetworkAllowlist } from '../../src/inbound/network-allowlist.js';

test('CIDR matching for IPv4, IPv6 and IPv4-mapped addresses', () => {
  const allowed = createNetworkAllowlist(['127.0.0.0/8', '192.168.1.0/24', 'fd00::/8']);
  assert.equal(allowed('127.0.0.1'), true);
  assert.equal(allowed('::ffff:127.0.0.1'), true);
  assert.equal(allowed('192.168.1.77'), true);
  assert.equal(allowed('192.168.2.1'), false);
  assert.equal(allowed('fd12::1'), true);
  assert.equal(allowed('2001:db8::1'), false);
  assert.equal(allowed('::1'), false);
  assert.equal(allowed(undefined), false);
  assert.equal(allowed('not an ip'), false);
});

test('bad CIDRs are refused at start', () => {
  assert.throws(() => createNetworkAllowlist(['10.0.0.0/33']), /prefix/);
  assert.throws(() => createNetworkAllowlist(['camera-net']), /not a network address/);
});

test('remembered answers stay right: asked again, and past the memory bound', () => {
  const allowed = createNetworkAllowlist(['10.0.0.0/8']);
  for (let round = 0; round < 2; round++) {
    // 1,500 distinct addresses, half inside: more than the 1,024 the check remembers.
    for (let i = 0; i < 1500; i++) {
      const inside = i % 2 === 0;
      const address = inside ? `10.0.${i >> 8}.${i & 255}` : `11.0.${i >> 8}.${i & 255}`;
      assert.equal(allowed(address), inside, `${address} (round ${round})`);
    }
  }
});
