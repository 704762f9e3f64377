/** Raw bytes over a TCP socket, for requests no HTTP client would send. */
import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server wrote before the connection ended or the wait ran out. */
  reply: string;
  /** The server closed or reset the connection. */
  closedByServer: boolean;
}

export interface RawPlan {
  /** Written in order, with `gapMs` between parts. */
  parts: Buffer[];
  gapMs: number;
  /** After the last part: half-close (end), drop the connection (destroy), or wait for the reply. */
  then: 'end' | 'destroy' | 'wait';
  waitMs: number;
}

export function exchange(port: number, plan: RawPlan): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks).toString('latin1'), closedByServer });
    };
    const timer = setTimeout(finish, plan.waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closedByServer = true;
      finish();
    });
    const write = (i: number): void => {
      if (socket.destroyed) return;
      if (i < plan.parts.length) {
        socket.write(plan.parts[i]!);
        setTimeout(() => write(i + 1), plan.gapMs);
      } else if (plan.then === 'end') socket.end();
      else if (plan.then === 'destroy') finish();
    };
    socket.once('connect', () => write(0));
  });
}

/** The status code of the first response in a raw reply, if there is one. */
export function statusOf(reply: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3}) /.exec(reply);
  return match ? Number(match[1]) : undefined;
}
