// Signed checkpoints of the hash chain: every evidence.checkpointInterval when new records
// came, and at a clean stop. Each is stored in the log (exported with it) and published
// retained on lpr/gateway/<id>/checkpoint, locally and upstream, so a copy the gateway
// cannot rewrite exists elsewhere.
import type { Logger } from 'pino';
import type { RecordLog } from '../log/record-log.js';
import { signCheckpoint, type Checkpoint } from './checkpoint-signature.js';
import { CheckpointStore } from './checkpoint-store.js';
import type { SigningKey } from './signing-key.js';

export interface EvidenceCheckpointDeps {
  log: RecordLog;
  /** The key, or how to get it: read (or created) at the first checkpoint, tried again at the next if that failed (a full disk must not stop start-up). */
  key: SigningKey | (() => SigningKey);
  gatewayId: string;
  logger: Logger;
  /** Publishes the checkpoint (retained) wherever it should go. */
  publish: (cp: Checkpoint) => Promise<void>;
}

export class EvidenceCheckpoints {
  private lastSeq = -1;
  private key: SigningKey | undefined;
  private running: Promise<Checkpoint | undefined> | undefined;
  private readonly stored: CheckpointStore;

  constructor(private readonly deps: EvidenceCheckpointDeps) {
    this.stored = new CheckpointStore(deps.log);
  }

  /** Signs, stores and publishes a checkpoint if the chain grew since the last one. */
  checkpoint(): Promise<Checkpoint | undefined> {
    this.running ??= this.make().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async make(): Promise<Checkpoint | undefined> {
    const head = this.deps.log.chainHead();
    if (this.lastSeq < 0) this.lastSeq = (await this.stored.after(Math.max(0, (head?.seq ?? 1) - 1), 1))[0]?.seq ?? 0;
    if (!head || head.seq <= this.lastSeq) return undefined;
    const k = this.deps.key;
    this.key ??= typeof k === 'function' ? k() : k;
    const cp = signCheckpoint(this.key, { gateway_id: this.deps.gatewayId, seq: head.seq, hash: head.hash, time: new Date().toISOString() });
    await this.stored.add(cp);
    this.lastSeq = cp.seq;
    this.deps.logger.info({ seq: cp.seq, hash: cp.hash, key_fingerprint: cp.key_fingerprint }, 'evidence checkpoint signed');
    await this.deps.publish(cp).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not publish the evidence checkpoint'));
    return cp;
  }
}
