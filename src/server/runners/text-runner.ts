/** classifier-text (bert): input_ids, attention_mask, token_type_ids int64 [batch, seq] in, scores out. */
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import type { ClassifierTextManifest } from '../../models/manifest.ts';
import { classifications, type Classification } from './classification.ts';
import { padBatch } from './padding.ts';
import type { BatchRunner } from './runner.ts';

export class TextRunner implements BatchRunner<number[]> {
  constructor(
    private readonly manifest: ClassifierTextManifest,
    private readonly session: InferenceSession,
  ) {}

  async run(batch: number[][]): Promise<Classification[]> {
    const padded = padBatch(batch, this.manifest.padId);
    const dims = [padded.batch, padded.length];
    const byName: Record<string, BigInt64Array> = {
      input_ids: padded.ids,
      attention_mask: padded.mask,
      token_type_ids: new BigInt64Array(padded.ids.length), // one segment: all zeros
    };
    const feeds: Record<string, Tensor> = {};
    for (const name of this.manifest.inputNames) {
      const data = byName[name];
      if (data === undefined) throw new Error(`model input ${name} is not one of ${Object.keys(byName).join(', ')}`);
      feeds[name] = new Tensor('int64', data, dims);
    }
    const outputs = await this.session.run(feeds);
    return classifications(outputs[this.manifest.outputName]!, batch.length);
  }

  close(): Promise<void> {
    return this.session.release();
  }
}
