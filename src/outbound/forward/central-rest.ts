// The REST half of the cameras' protocol toward a central server: POST of the JSON body to
// the kind's path on keep-alive connections, extra headers (a token) and an optional
// pinned CA. 2xx: delivered; 408, 429 and 5xx: try again later; other 4xx: refused.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ForwardError, refusalMessage, type CentralAnswer } from './central-answer.js';
import type { ForwardMessage } from './forward-message.js';

export interface RestOptions {
  url: string;
  headers: Record<string, string>;
  ca?: Buffer | undefined;
  timeoutMs: number;
}

export type RestSender = ((m: ForwardMessage) => Promise<CentralAnswer>) & { close(): void };

export function createRestSender(o: RestOptions): RestSender {
  const base = new URL(o.url);
  const https = base.protocol === 'https:';
  const agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 16, ...(o.ca ? { ca: o.ca } : {}) }) : new HttpAgent({ keepAlive: true, maxSockets: 16 });
  const send = (m: ForwardMessage): Promise<CentralAnswer> => new Promise((resolve, reject) => {
    const body = Buffer.from(JSON.stringify(m.body));
    const target = new URL(m.path, base);
    const req = (https ? httpsRequest : httpRequest)(target, {
      method: 'POST', agent, timeout: o.timeoutMs,
      headers: { ...o.headers, 'content-type': 'application/json', 'content-length': body.length },
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new ForwardError(`POST ${m.path}: ${err.message}`)));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve({ ok: true });
        let parsed: unknown = Buffer.concat(chunks).toString('utf8').slice(0, 500);
        try {
          parsed = JSON.parse(parsed as string);
        } catch {
          // not JSON: the text is the message
        }
        const message = `HTTP ${status}: ${typeof parsed === 'string' ? parsed : refusalMessage(parsed)}`;
        if (status === 408 || status === 429 || status >= 500) return reject(new ForwardError(`POST ${m.path}: ${message}`));
        resolve({ ok: false, message, permanent: true });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${o.timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new ForwardError(`POST ${m.path}: ${err.message}`, err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'EHOSTUNREACH')));
    req.end(body);
  });
  return Object.assign(send, { close: () => agent.destroy() });
}
