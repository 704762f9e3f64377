/**
 * A model kind's serving logic in two halves. The parser turns JSON instances into runner items and needs
 * only the manifest, so it runs on the HTTP thread (one bad instance names itself without waiting for
 * inference). The batch runner owns the ONNX Runtime sessions and runs whole batches, so the batcher can
 * group instances from many requests; the server keeps it on a worker thread (worker-runner.ts).
 */
import type { Outcome } from '../api-error.ts';

export interface InstanceParser<I> {
  /** Validates and converts one element of "instances"; refusals carry 400-class codes. */
  parse(instance: unknown): Outcome<I>;
  /** A representative instance for the warm-up inference that gates readiness. */
  warmUpInstance(): I;
}

export interface BatchRunner<I> {
  /** Runs one batch; returns one prediction per item, in order. */
  run(batch: I[]): Promise<unknown[]>;
  close(): Promise<void>;
}

/** Both halves in one place, for in-process use (fidelity checks, benchmarks). */
export interface Runner<I> extends InstanceParser<I>, BatchRunner<I> {}
