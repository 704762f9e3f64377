/**
 * A model kind's serving logic in two halves. The parser turns JSON instances into runner items and needs
 * only the manifest, so it runs on the HTTP thread (one bad instance names itself without waiting for
 * inference). The batch runner owns the ONNX Runtime sessions and runs whole batches, so the batcher can
 * group instances from many requests; the server keeps it on a worker thread (worker-runner.ts).
 */
import type { Outcome } from '../api-error.ts';
import type { SessionKnobs } from '../session.ts';

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

/** A batch runner that can swap its sessions for ones opened with other options, without stopping (live reconfiguration). */
export interface ReloadableBatchRunner<I> extends BatchRunner<I> {
  /**
   * Opens new sessions with `knobs`, runs `warmUp` on them, then serves from them and releases the old ones.
   * Rejects with a one-line reason if any of that fails, still serving from the old sessions.
   */
  reload(knobs: SessionKnobs, warmUp: I[][]): Promise<void>;
}

/** Both halves in one place, for in-process use (fidelity checks, benchmarks). */
export interface Runner<I> extends InstanceParser<I>, BatchRunner<I> {}
