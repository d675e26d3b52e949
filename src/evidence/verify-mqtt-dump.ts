// `lpr-gateway verify --mqtt-dump FILE`: checks a capture of what the gateway published (to
// the cloud broker, or the local one) — `mosquitto_sub -v -t '<prefix>lpr/#'` output, one
// `topic payload` per line. Record payloads are the stored lines themselves, so a receiver
// can check each against its hash and, per gateway, the chain between the seqs it holds;
// retained checkpoints pin the head. Image payloads (binary) and other topics are skipped.
import { hashOfLine, lineHead } from '../log/record-line.js';
import { signedStatement } from './checkpoint-signature.js';
import type { Problem } from './verify-export.js';

export interface DumpResult {
  gateways: { gateway_id: string; records: number; first: number; last: number; pinned: number }[];
  checkpoints: number;
  skipped: number;
  problems: Problem[];
  notes: string[];
}

interface Held {
  hash: string;
  prevHash: string;
  line: string;
}

export async function verifyMqttDump(lines: AsyncIterable<string>, opts: { publicKey?: string | undefined }): Promise<DumpResult> {
  const res: DumpResult = { gateways: [], checkpoints: 0, skipped: 0, problems: [], notes: [] };
  const problem = (seq: number | null, message: string) => res.problems.push({ seq, message });
  const byGateway = new Map<string, Map<number, Held>>();
  const pins = new Map<string, { seq: number; hash: string }[]>();
  for await (const text of lines) {
    const space = text.indexOf(' ');
    if (space <= 0) {
      if (text.trim()) res.skipped += 1;
      continue;
    }
    const topic = text.slice(0, space);
    const payload = text.slice(space + 1);
    if (payload.startsWith('{"hash":"')) {
      const head = lineHead(payload);
      let body: unknown;
      try {
        body = JSON.parse(payload);
      } catch {
        body = undefined;
      }
      const gatewayId = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).gateway_id : undefined;
      if (!head || typeof gatewayId !== 'string') {
        problem(null, `${topic}: a record payload that is not a record line`);
        continue;
      }
      if (hashOfLine(Buffer.from(payload)) !== head.hash) problem(head.seq, `${topic}: hash does not match the payload: it was changed`);
      const held = byGateway.get(gatewayId) ?? new Map<number, Held>();
      byGateway.set(gatewayId, held);
      const before = held.get(head.seq);
      // QoS 1 may deliver a message twice: the same bytes again are no finding.
      if (before && before.line !== payload) problem(head.seq, `${topic}: two different payloads for seq ${head.seq}`);
      held.set(head.seq, { hash: head.hash, prevHash: head.prevHash, line: payload });
    } else if (topic.endsWith('/checkpoint')) {
      let cp: unknown;
      try {
        cp = JSON.parse(payload);
      } catch {
        problem(null, `${topic}: a checkpoint that is not JSON`);
        continue;
      }
      res.checkpoints += 1;
      const c = (typeof cp === 'object' && cp !== null ? cp : {}) as Record<string, unknown>;
      const s = signedStatement(c, opts.publicKey ?? (typeof c.public_key === 'string' ? c.public_key : ''));
      if (!s) problem(null, `${topic}: checkpoint signature is not valid${opts.publicKey ? ' for the trusted key' : ''}`);
      else pins.set(s.gateway_id, [...(pins.get(s.gateway_id) ?? []), { seq: s.seq, hash: s.hash }]);
    } else res.skipped += 1;
  }
  for (const [gatewayId, held] of byGateway) {
    const seqs = [...held.keys()].sort((a, b) => a - b);
    for (let i = 1; i < seqs.length; i++) {
      const a = held.get(seqs[i - 1]!)!;
      const b = held.get(seqs[i]!)!;
      if (b.prevHash !== a.hash) problem(seqs[i]!, `gateway ${gatewayId}: seq ${seqs[i]} does not link to seq ${seqs[i - 1]}: records between them are missing from the capture`);
    }
    let pinned = 0;
    for (const p of pins.get(gatewayId) ?? []) {
      const r = held.get(p.seq);
      if (r && r.hash !== p.hash) problem(p.seq, `gateway ${gatewayId}: the checkpoint's hash differs from seq ${p.seq}'s payload`);
      if (r) pinned = Math.max(pinned, p.seq);
      else if (p.seq > seqs.at(-1)!) res.notes.push(`gateway ${gatewayId}: the checkpoint at seq ${p.seq} is past the last record captured (${seqs.at(-1)})`);
    }
    const last = seqs.at(-1)!;
    if (pinned < last) res.notes.push(`gateway ${gatewayId}: records after seq ${pinned} are not yet pinned by a checkpoint in the capture`);
    res.gateways.push({ gateway_id: gatewayId, records: seqs.length, first: seqs[0]!, last, pinned });
  }
  if (byGateway.size === 0) problem(null, 'no record payloads in the capture');
  return res;
}
