/** classifier-text (bert): input_ids, attention_mask, token_type_ids int64 [batch, seq] in, scores out. */
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import type { ClassifierTextManifest } from '../../models/manifest.ts';
import type { Outcome } from '../api-error.ts';
import { classifications, type Classification } from './classification.ts';
import { padBatch } from './padding.ts';
import type { Runner } from './runner.ts';
import { parseTokens, type Tokenize } from './token-instance.ts';

export class TextRunner implements Runner<number[]> {
  constructor(
    private readonly manifest: ClassifierTextManifest,
    private readonly session: InferenceSession,
    private readonly tokenize: Tokenize | undefined,
  ) {}

  parse(instance: unknown): Outcome<number[]> {
    const { maxSequence, vocabSize } = this.manifest;
    return parseTokens(instance, { maxTokens: maxSequence, vocabSize, tokenize: this.tokenize });
  }

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

  /** A sequence of typical tweet length (32 tokens). */
  warmUpInstance(): number[] {
    const { clsId, sepId, vocabSize } = this.manifest;
    const body = Array.from({ length: 30 }, (_, i) => (1000 + i * 7919) % vocabSize);
    return [clsId, ...body, sepId];
  }

  close(): Promise<void> {
    return this.session.release();
  }
}
