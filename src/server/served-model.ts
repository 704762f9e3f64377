/**
 * One loaded model behind its batcher: validates a request's instances with the parser, queues them,
 * and maps batch failures to API errors. Also runs the warm-up inference that gates readiness, and takes
 * live configuration changes: new batch limits at once, new session options through a warmed-up reload.
 */
import { fail, succeed, type ApiError, type Outcome } from './api-error.ts';
import { Batcher, type BatchLimits, type BatchObserver } from './batcher.ts';
import type { Clock } from './clock.ts';
import type { ServerConfig } from './config.ts';
import type { BATCHING_KNOBS } from './protocol.ts';
import type { InstanceParser, ReloadableBatchRunner } from './runners/runner.ts';
import type { SessionKnobs } from './session.ts';

export type BatchingConfig = Pick<ServerConfig, (typeof BATCHING_KNOBS)[number]>;

export interface Predictor {
  predict(instances: unknown[]): Promise<Outcome<unknown[]>>;
  /** queue_full while not even one more instance fits: lets the HTTP edge refuse before reading a body. */
  full(): ApiError | undefined;
  /** Runs what is queued without waiting for the batch timeout and resolves when done (graceful shutdown). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** What a live configuration change (live-config.ts) does to a serving model. */
export interface Reconfigurable {
  /** What is under way (a batch being formed or running), or undefined when nothing is queued or running. */
  activity(): string | undefined;
  /** New batch limits, in effect from the next batch formed. */
  applyBatching(batching: BatchingConfig): void;
  /**
   * New sessions opened with `knobs` and warmed up at batch 1 and `batching.maxBatchSize`, then swapped in and
   * `batching` applied. On failure (reload_failed) the old sessions and batch limits stay, all of them.
   */
  reloadSessions(knobs: SessionKnobs, batching: BatchingConfig): Promise<Outcome<void>>;
}

/** What the model slot (model-host.ts) serves from. */
export type HostedModel = Predictor & Reconfigurable;

/** A served model whatever its instance type: what the server needs after loading. */
export interface LoadedModel extends HostedModel {
  warmUp(): Promise<void>;
}

export class ServedModel<I> implements LoadedModel {
  private readonly batcher: Batcher<I, unknown>;
  private batching: BatchingConfig;

  constructor(
    private readonly parser: InstanceParser<I>,
    private readonly runner: ReloadableBatchRunner<I>,
    batching: BatchingConfig,
    clock: Clock,
    observer?: BatchObserver,
  ) {
    this.batching = { ...batching };
    this.batcher = new Batcher<I, unknown>({
      ...batchLimits(batching),
      run: (items) => runner.run(items),
      clock,
      observer,
    });
  }

  async predict(instances: unknown[]): Promise<Outcome<unknown[]>> {
    if (instances.length > this.batching.queueBound) {
      return fail('bad_instances', `${instances.length} instances exceed the queue bound of ${this.batching.queueBound}: send fewer per request`);
    }
    const items: I[] = [];
    for (const [index, instance] of instances.entries()) {
      const parsed = this.parser.parse(instance);
      if (!parsed.ok) return fail(parsed.error.code, `instances[${index}]: ${parsed.error.message}`);
      items.push(parsed.value);
    }
    const result = await this.batcher.submit(items);
    return result.ok ? succeed(result.values) : fail(result.code, result.message);
  }

  /**
   * Real inferences at batch 1 and at the largest batch, so readiness means the first requests do not pay
   * for lazy allocation and kernel selection.
   */
  async warmUp(): Promise<void> {
    for (const batch of this.warmUpBatches(this.batching.maxBatchSize)) await this.runner.run(batch);
  }

  activity(): string | undefined {
    return this.batcher.activity();
  }

  applyBatching(batching: BatchingConfig): void {
    this.batching = { ...batching };
    this.batcher.setLimits(batchLimits(batching));
  }

  async reloadSessions(knobs: SessionKnobs, batching: BatchingConfig): Promise<Outcome<void>> {
    try {
      await this.runner.reload(knobs, this.warmUpBatches(batching.maxBatchSize));
    } catch (error) {
      return fail('reload_failed', error instanceof Error ? error.message : String(error));
    }
    this.applyBatching(batching);
    return succeed(undefined);
  }

  full(): ApiError | undefined {
    const message = this.batcher.full();
    return message === undefined ? undefined : { code: 'queue_full', message };
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  close(): Promise<void> {
    return this.runner.close();
  }

  private warmUpBatches(maxBatchSize: number): I[][] {
    const instance = this.parser.warmUpInstance();
    return maxBatchSize > 1 ? [[instance], Array.from({ length: maxBatchSize }, () => instance)] : [[instance]];
  }
}

function batchLimits(batching: BatchingConfig): BatchLimits {
  return { maxBatchSize: batching.maxBatchSize, timeoutUs: batching.batchTimeoutUs, queueBound: batching.queueBound };
}
