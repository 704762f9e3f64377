/**
 * One loaded model behind its batcher: validates a request's instances with the parser, queues them,
 * and maps batch failures to API errors. Also runs the warm-up inference that gates readiness.
 */
import { fail, succeed, type ApiError, type Outcome } from './api-error.ts';
import { Batcher, type BatchObserver } from './batcher.ts';
import type { Clock } from './clock.ts';
import type { ServerConfig } from './config.ts';
import type { BatchRunner, InstanceParser } from './runners/runner.ts';

export type BatchingConfig = Pick<ServerConfig, 'maxBatchSize' | 'batchTimeoutUs' | 'queueBound'>;

export interface Predictor {
  predict(instances: unknown[]): Promise<Outcome<unknown[]>>;
  /** queue_full while not even one more instance fits: lets the HTTP edge refuse before reading a body. */
  full(): ApiError | undefined;
  /** Runs what is queued without waiting for the batch timeout and resolves when done (graceful shutdown). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** A served model whatever its instance type: what the server needs after loading. */
export interface LoadedModel extends Predictor {
  warmUp(): Promise<void>;
}

export class ServedModel<I> implements LoadedModel {
  private readonly batcher: Batcher<I, unknown>;

  constructor(
    private readonly parser: InstanceParser<I>,
    private readonly runner: BatchRunner<I>,
    private readonly batching: BatchingConfig,
    clock: Clock,
    observer?: BatchObserver,
  ) {
    this.batcher = new Batcher<I, unknown>({
      maxBatchSize: batching.maxBatchSize,
      timeoutUs: batching.batchTimeoutUs,
      queueBound: batching.queueBound,
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
    const instance = this.parser.warmUpInstance();
    await this.runner.run([instance]);
    if (this.batching.maxBatchSize > 1) await this.runner.run(Array.from({ length: this.batching.maxBatchSize }, () => instance));
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
}
