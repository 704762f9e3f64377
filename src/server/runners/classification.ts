/** Turns a [batch, classes] score tensor into per-instance {label, scores} predictions. */
import type { Tensor } from 'onnxruntime-node';

export interface Classification {
  label: number;
  scores: number[];
}

export function classifications(output: Tensor, batch: number): Classification[] {
  const data = output.data as Float32Array;
  const classes = data.length / batch;
  const predictions: Classification[] = [];
  for (let b = 0; b < batch; b++) {
    const scores = Array.from(data.subarray(b * classes, (b + 1) * classes));
    predictions.push({ label: argmax(scores), scores });
  }
  return predictions;
}

export function argmax(values: ArrayLike<number>, start = 0, end = values.length): number {
  let best = start;
  for (let i = start + 1; i < end; i++) if (values[i]! > values[best]!) best = i;
  return best - start;
}
