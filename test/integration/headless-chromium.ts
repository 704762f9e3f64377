/**
 * Headless Chromium driven over the DevTools protocol, for tests that open a page as a reader would: Debian's
 * `chromium` started with a throwaway profile, one page attached over the browser's WebSocket (undici's
 * client: no browser-automation dependency), and what the page logged, threw or requested, collected.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';

export const CHROMIUM = 'chromium';

export function chromiumAvailable(): boolean {
  return spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore' }).status === 0;
}

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message: string }; sessionId?: string };

export interface PageProblems {
  /** console.error calls, uncaught exceptions and the browser's own error log entries. */
  errors: string[];
  /** Every URL the page asked for, besides the page itself. */
  requests: string[];
}

export interface Page {
  problems: PageProblems;
  /** Evaluates an expression in the page (a promise is awaited) and returns its value, as JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** A real mouse move or wheel turn at page coordinates (what vega's handlers listen to). */
  mouse(type: 'mouseMoved' | 'mouseWheel', x: number, y: number, deltaY?: number): Promise<void>;
}

export interface Browser {
  open(url: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'tune-chromium-'));
  const child = spawn(CHROMIUM, ['--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const socket = await connect(await devtoolsUrl(child));
    return browserOn(socket, child, profile);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Chromium prints its DevTools endpoint on stderr once it listens. */
function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`chromium exited (${code}) before listening: ${stderr.trim()}`)));
  });
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.addEventListener('open', () => resolve(socket));
    socket.addEventListener('error', () => reject(new Error(`cannot connect to chromium at ${url}`)));
  });
}

function browserOn(socket: WebSocket, child: ChildProcess, profile: string): Browser {
  let nextId = 0;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  const listeners: ((message: Message) => void)[] = [];
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as Message;
    if (message.id !== undefined) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    } else {
      for (const listener of listeners) listener(message);
    }
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
    });

  return {
    async open(url) {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      const problems: PageProblems = { errors: [], requests: [] };
      let loaded: () => void = () => {};
      const load = new Promise<void>((resolve) => (loaded = resolve));
      listeners.push((message) => {
        if (message.sessionId !== sessionId) return;
        const params = message.params ?? {};
        switch (message.method) {
          case 'Runtime.consoleAPICalled':
            if (params.type === 'error') problems.errors.push(`console.error: ${JSON.stringify((params.args as { value?: unknown; description?: string }[]).map((a) => a.value ?? a.description))}`);
            break;
          case 'Runtime.exceptionThrown':
            problems.errors.push(`uncaught: ${JSON.stringify((params.exceptionDetails as { exception?: { description?: string }; text: string }).exception?.description ?? params)}`);
            break;
          case 'Log.entryAdded': {
            const entry = params.entry as { level: string; text: string; url?: string };
            if (entry.level === 'error') problems.errors.push(`log: ${entry.text} ${entry.url ?? ''}`.trim());
            break;
          }
          case 'Network.requestWillBeSent': {
            const requested = (params.request as { url: string }).url;
            if (requested !== url) problems.requests.push(requested);
            break;
          }
          case 'Page.loadEventFired':
            loaded();
        }
      });
      for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await send(`${domain}.enable`, {}, sessionId);
      await send('Page.navigate', { url }, sessionId);
      await load;
      return {
        problems,
        async evaluate<T>(expression: string): Promise<T> {
          const answer = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
            'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId,
          );
          if (answer.exceptionDetails) throw new Error(`in the page: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`);
          return answer.result.value as T;
        },
        async mouse(type, x, y, deltaY = 0) {
          await send('Input.dispatchMouseEvent', { type, x, y, deltaX: 0, deltaY }, sessionId);
        },
      };
    },
    async close() {
      await send('Browser.close').catch(() => undefined);
      socket.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const stubborn = setTimeout(() => child.kill('SIGKILL'), 10_000); // Browser.close normally ends it at once
        await exited;
        clearTimeout(stubborn);
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
