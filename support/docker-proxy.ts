/**
 * A unix-socket proxy in front of the Docker engine, so a test can make the engine unreachable for one
 * `tune` process (DOCKER_HOST=unix://<path>) without stopping the shared engine: cut() drops every
 * connection and stops listening; restore() listens again. `onRequest` sees each request line ("POST
 * /v1.41/containers/<id>/update"), so a test can act at an exact step of what tune asks the engine.
 */
import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

const ENGINE_SOCKET = '/var/run/docker.sock';

export class DockerProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly path: string,
    private readonly onRequest: (line: string) => void = () => {},
  ) {}

  get dockerHost(): string {
    return `unix://${this.path}`;
  }

  async start(): Promise<void> {
    rmSync(this.path, { force: true });
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => resolve());
    });
    this.server = server;
  }

  /** The engine vanishes: open connections reset, new ones refused (the socket file is gone). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }

  restore(): Promise<void> {
    return this.start();
  }

  private pipe(client: Socket): void {
    const engine = connect(ENGINE_SOCKET);
    for (const socket of [client, engine]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        engine.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      const line = /^(GET|HEAD|POST|PUT|DELETE) (\S+)/.exec(chunk.toString('latin1', 0, 512));
      if (line) this.onRequest(`${line[1]} ${line[2]}`);
    });
    client.pipe(engine);
    engine.pipe(client);
  }
}
