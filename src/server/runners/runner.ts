/**
 * A runner turns one model kind's JSON instances into tensors, runs a batch through ONNX Runtime and turns
 * the outputs back into predictions. Parsing is per instance (so one bad instance names itself); running
 * is per batch (so the batcher can group instances from many requests).
 */
import type { Outcome } from '../api-error.ts';

export interface Runner<I> {
  /** Validates and converts one element of "instances"; refusals carry 400-class codes. */
  parse(instance: unknown): Outcome<I>;
  /** Runs one batch; returns one prediction per item, in order. */
  run(batch: I[]): Promise<unknown[]>;
  /** A representative instance for the warm-up inference that gates readiness. */
  warmUpInstance(): I;
  close(): Promise<void>;
}
