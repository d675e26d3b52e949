// A TCP relay between an MQTT client (gateway uplink or Mosquitto bridge) and the upstream
// broker that can be "cut": while down it drops existing connections and refuses new ones.
// It lets a benchmark keep the upstream broker and its subscriber running throughout.
import { connect, createServer, type Server, type Socket } from 'node:net';

export class OutageProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  up = false;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async listen(): Promise<void> {
    this.server = createServer((client) => {
      if (!this.up) return client.destroy();
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.setNoDelay(true);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.port = (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.up = true;
  }

  close(): void {
    this.cut();
    this.server?.close();
  }
}
