/**
 * Dynamic batching in the manner of TF Serving: queued instances are grouped into one inference call when
 * the batch is full (maxBatchSize) or when the oldest has waited timeoutUs, whichever comes first.
 *
 * One batch runs at a time (TF Serving's num_batch_threads = 1): a replica's CPU quota is what bounds it,
 * and ONNX Runtime parallelizes inside a batch with its intra-op threads, so a second concurrent batch
 * would only compete for the same cores. Instances that arrive while a batch runs form the next one.
 *
 * The queue is bounded: a submission that does not fit is refused at once (queue_full) rather than
 * growing memory and latency without limit. A failing inference fails only the batch it was in.
 */
import type { Clock } from './clock.ts';

/** What a replica's configuration decides; a running batcher takes new limits (live reconfiguration). */
export interface BatchLimits {
  maxBatchSize: number;
  /** 0 = run whatever is queued as soon as the previous batch is done (on the next event-loop turn). */
  timeoutUs: number;
  /** Most instances waiting (not counting the running batch). */
  queueBound: number;
}

export interface BatcherOptions<I, O> extends BatchLimits {
  /** Runs one batch; must return one output per item, in order. */
  run: (items: I[]) => Promise<O[]>;
  clock: Clock;
  observer?: BatchObserver;
}

export interface BatchObserver {
  queueDepth(depth: number): void;
  batchDone(size: number, seconds: number): void;
}

export type BatchFailureCode = 'queue_full' | 'inference_failed';
export type BatchResult<O> = { ok: true; values: O[] } | { ok: false; code: BatchFailureCode; message: string };

type ItemResult<O> = { ok: true; value: O } | { ok: false; code: BatchFailureCode; message: string };

interface Pending<I, O> {
  item: I;
  enqueuedAt: number;
  settle: (result: ItemResult<O>) => void;
}

export class Batcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private running = false;
  private cancelTimer: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private flushing = false;
  private limits: BatchLimits;

  constructor(private readonly options: BatcherOptions<I, O>) {
    this.limits = { maxBatchSize: options.maxBatchSize, timeoutUs: options.timeoutUs, queueBound: options.queueBound };
  }

  /** Queues all items of one request together, or none of them if they do not fit. */
  async submit(items: I[]): Promise<BatchResult<O>> {
    if (this.queue.length + items.length > this.limits.queueBound) return { ok: false, code: 'queue_full', message: this.fullMessage() };
    const now = this.options.clock.now();
    const results = items.map(
      (item) => new Promise<ItemResult<O>>((settle) => this.queue.push({ item, enqueuedAt: now, settle })),
    );
    this.options.observer?.queueDepth(this.queue.length);
    this.schedule();
    return collect(await Promise.all(results));
  }

  get depth(): number {
    return this.queue.length;
  }

  /** What is under way: a batch being formed (instances queued) or running; undefined when idle. */
  activity(): string | undefined {
    const count = this.queue.length;
    const queued = count > 0 ? `a batch is being formed from ${count} queued instance${count === 1 ? '' : 's'}` : undefined;
    const running = this.running ? 'a batch is running' : undefined;
    return [running, queued].filter((part) => part !== undefined).join(' and ') || undefined;
  }

  /**
   * New limits for the batches formed from now on. Meant for an idle batcher (live reconfiguration checks
   * activity() first), but safe on a busy one: the wait for the oldest instance is timed again with the new timeout.
   */
  setLimits(limits: BatchLimits): void {
    this.limits = { ...limits };
    this.clearTimer();
    this.schedule();
  }

  /** Why not even one more instance fits, or undefined while one does. */
  full(): string | undefined {
    return this.queue.length >= this.limits.queueBound ? this.fullMessage() : undefined;
  }

  private fullMessage(): string {
    return `queue holds ${this.queue.length} of ${this.limits.queueBound} instances: retry later or add replicas`;
  }

  /**
   * For graceful shutdown: from now on queued instances run without waiting for the timeout; resolves
   * once nothing is queued or running.
   */
  drain(): Promise<void> {
    this.flushing = true;
    this.schedule();
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * A full batch runs now; otherwise a timer fires when the oldest instance has waited the timeout. With
   * the timeout reached (or 0) that timer is 0 ms: the real clock then runs the batch on the next event-loop
   * turn, after the requests already read from sockets in this turn have joined it. Inference runs on a
   * worker thread (worker-runner.ts), so requests keep arriving while a batch runs; they queue and, once it
   * is done, form the next batch together.
   */
  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    const { maxBatchSize, timeoutUs } = this.limits;
    const { clock } = this.options;
    if (this.queue.length >= maxBatchSize || this.flushing) {
      this.clearTimer();
      void this.runBatch();
      return;
    }
    if (this.cancelTimer !== undefined) return;
    const waitedMs = clock.now() - this.queue[0]!.enqueuedAt;
    this.cancelTimer = clock.setTimer(Math.max(0, timeoutUs / 1000 - waitedMs), () => {
      this.cancelTimer = undefined;
      if (this.running || this.queue.length === 0) return;
      void this.runBatch();
    });
  }

  private async runBatch(): Promise<void> {
    const { run, clock, observer } = this.options;
    const batch = this.queue.splice(0, this.limits.maxBatchSize);
    observer?.queueDepth(this.queue.length);
    this.running = true;
    const started = clock.now();
    const outcomes = await runSafely(run, batch.map((pending) => pending.item));
    observer?.batchDone(batch.length, (clock.now() - started) / 1000);
    batch.forEach((pending, i) => pending.settle(outcomes[i]!));
    this.running = false;
    this.schedule();
    if (!this.running && this.queue.length === 0) this.wakeIdleWaiters();
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** Runs one batch and maps it to per-item results; a throw or a wrong count fails every item of it. */
async function runSafely<I, O>(run: (items: I[]) => Promise<O[]>, items: I[]): Promise<ItemResult<O>[]> {
  try {
    const values = await run(items);
    if (values.length !== items.length) {
      throw new Error(`inference returned ${values.length} outputs for ${items.length} inputs`);
    }
    return values.map((value) => ({ ok: true, value }));
  } catch (error) {
    const message = `inference failed: ${error instanceof Error ? error.message : String(error)}`;
    return items.map(() => ({ ok: false, code: 'inference_failed', message }));
  }
}

function collect<O>(results: ItemResult<O>[]): BatchResult<O> {
  const values: O[] = [];
  for (const result of results) {
    if (!result.ok) return result;
    values.push(result.value);
  }
  return { ok: true, values };
}
