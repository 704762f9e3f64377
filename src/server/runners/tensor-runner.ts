/**
 * tensor: any graph, fed as it is. Items whose inputs have the same shapes are stacked on the first dim into one
 * ONNX Runtime call (items of another shape get calls of their own); each output is split back on its first dim
 * into one prediction per item, {"<output>": <nested array>}. A graph whose batch is fixed at 1, or whose outputs
 * do not follow the batch, runs its items one call each.
 */
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import type { TensorManifest } from '../../models/manifest.ts';
import { allocate, jsonValues } from '../../models/tensor-dtypes.ts';
import { nest } from '../v2/tensors.ts';
import type { BatchRunner } from './runner.ts';
import { elementCount, type TensorItem } from './tensor-instance.ts';

export type TensorPrediction = Record<string, unknown>;

export class TensorRunner implements BatchRunner<TensorItem> {
  constructor(
    private readonly manifest: TensorManifest,
    private readonly session: InferenceSession,
  ) {}

  async run(batch: TensorItem[]): Promise<TensorPrediction[]> {
    const predictions = new Array<TensorPrediction>(batch.length);
    for (const indices of groupsByShape(batch)) {
      const calls = this.manifest.unbatched ? indices.map((i) => [i]) : [indices];
      for (const call of calls) {
        const results = await this.runStacked(call.map((i) => batch[i]!));
        call.forEach((index, k) => (predictions[index] = results[k]!));
      }
    }
    return predictions;
  }

  close(): Promise<void> {
    return this.session.release();
  }

  private async runStacked(items: TensorItem[]): Promise<TensorPrediction[]> {
    const feeds: Record<string, Tensor> = {};
    this.manifest.inputs.forEach((spec, k) => {
      const shape = items[0]!.inputs[k]!.shape;
      const size = elementCount(shape);
      const data = allocate(spec.dtype, items.length * size);
      // Every item's array has the spec's element type (the parser made it), so set() copies it as it is.
      items.forEach((item, i) => (data as Uint8Array).set(item.inputs[k]!.data as Uint8Array, i * size));
      feeds[spec.name] = new Tensor(spec.dtype, data, [items.length, ...shape]);
    });
    const outputs = await this.session.run(feeds);
    const batched = this.manifest.outputs.every((spec) => outputs[spec.name]?.dims[0] === items.length);
    if (!batched) {
      if (items.length > 1) {
        const singles: TensorPrediction[] = [];
        for (const item of items) singles.push(...(await this.runStacked([item])));
        return singles;
      }
      const odd = this.manifest.outputs.find((spec) => outputs[spec.name] === undefined);
      if (odd) throw new Error(`the model gave no output ${odd.name}`);
    }
    return items.map((_, i) => Object.fromEntries(this.manifest.outputs.map((spec) => [spec.name, itemOf(outputs[spec.name]!, spec.dtype, i, batched)])));
  }
}

/** Item `i` of a batched output as a nested array; an output that does not follow the batch is the one item's whole. */
function itemOf(tensor: Tensor, dtype: string, i: number, batched: boolean): unknown {
  const shape = batched ? tensor.dims.slice(1) : [...tensor.dims];
  const size = elementCount(shape);
  return nest(jsonValues(dtype, tensor.data, i * size, (i + 1) * size), shape);
}

/** Indices of the batch's items, grouped by input shapes, in order of first appearance. */
function groupsByShape(batch: readonly TensorItem[]): number[][] {
  const groups = new Map<string, number[]>();
  batch.forEach((item, i) => {
    const group = groups.get(item.key);
    if (group) group.push(i);
    else groups.set(item.key, [i]);
  });
  return [...groups.values()];
}
