/**
 * A batch runner whose sessions can be replaced while it serves: the inference thread's (inference-worker.ts)
 * answer to a live change of threads, execution mode or graph optimization level. New sessions are opened and
 * warmed up beside the old ones, so a failure leaves the old ones serving; only then are they swapped in and the
 * old ones released (once the batches already running on them are done). For that moment both sets are in memory.
 */
import type { BatchRunner, ReloadableBatchRunner } from './runners/runner.ts';
import type { SessionKnobs } from './session.ts';

/** Opens a model's sessions with `knobs` and its kind's runner over them. */
export type OpenRunnerWith<I> = (knobs: SessionKnobs) => Promise<BatchRunner<I>>;

export class ReloadableRunner<I> implements ReloadableBatchRunner<I> {
  /** Batches running on the current sessions: the old ones are released only after these. */
  private readonly running = new Set<Promise<unknown>>();
  private reloading: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly open: OpenRunnerWith<I>,
    private current: BatchRunner<I>,
  ) {}

  static async start<I>(open: OpenRunnerWith<I>, knobs: SessionKnobs): Promise<ReloadableRunner<I>> {
    return new ReloadableRunner(open, await open(knobs));
  }

  run(batch: I[]): Promise<unknown[]> {
    const result = this.current.run(batch);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return result;
  }

  reload(knobs: SessionKnobs, warmUp: I[][]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the runner is closed'));
    if (this.reloading !== undefined) return Promise.reject(new Error('another reload is under way'));
    const reloading = this.swapIn(knobs, warmUp).finally(() => {
      this.reloading = undefined;
    });
    this.reloading = reloading;
    return reloading;
  }

  /** Waits for a reload under way, then releases the sessions serving now. */
  async close(): Promise<void> {
    this.closed = true;
    await this.reloading?.catch(() => undefined);
    await Promise.all(this.running);
    await this.current.close();
  }

  private async swapIn(knobs: SessionKnobs, warmUp: I[][]): Promise<void> {
    const next = await this.open(knobs).catch((error: unknown) => {
      throw new Error(`opening sessions with the new options failed: ${oneLine(error)}`);
    });
    const refusal = (await warmUpFailure(next, warmUp)) ?? (this.closed ? 'the runner was closed during the reload' : undefined);
    if (refusal !== undefined) {
      await next.close().catch(() => undefined);
      throw new Error(refusal);
    }
    const previous = this.current;
    const draining = [...this.running];
    this.current = next;
    this.running.clear();
    await Promise.all(draining);
    await previous.close().catch(() => undefined); // they no longer serve: a failed release must not undo the swap
  }
}

/** Why warming up `runner` failed, or undefined once every batch ran. */
async function warmUpFailure<I>(runner: BatchRunner<I>, batches: I[][]): Promise<string | undefined> {
  try {
    for (const batch of batches) await runner.run(batch);
    return undefined;
  } catch (error) {
    return `warm-up on the new sessions failed: ${oneLine(error)}`;
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
