/** What each model kind's V2 codec provides: its tensors, and the way between V2 tensors and the kind's V1 instances. */
import type { Outcome } from '../api-error.ts';
import type { ReadRequest } from './tensors.ts';
import type { InferInputTensor, InferOutputTensor, MetadataTensor } from './types.ts';

export interface KindCodec {
  /** Every input a request may carry; batch first, -1 for a variable dimension. */
  inputs: MetadataTensor[];
  outputs: MetadataTensor[];
  /** Checked input tensors → the kind's V1 instances, one per row of the batch dimension. */
  instances(request: ReadRequest): Outcome<unknown[]>;
  /** The kind's V1 predictions (one per instance, in order) → every output tensor. */
  outputTensors(predictions: readonly unknown[]): Outcome<InferOutputTensor[]>;
  /** V1 instances → the input tensors of one request (the load generator's bodies); throws on instances that cannot share one. */
  inputTensors(instances: readonly unknown[]): InferInputTensor[];
}
