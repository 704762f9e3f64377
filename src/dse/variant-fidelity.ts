/**
 * Fidelity of each model variant against the fp32 model, measured in-process (the edge with ONNX Runtime):
 * the reference is fp32 with graph optimizations disabled (the graph as exported); each variant runs at its own
 * graph-optimization level. Outputs are cached per (precision, level), since several variants share them.
 * With reference pairs and a real SentencePiece translator, also corpus BLEU against the references.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphOptimizationLevel } from '../server/config.ts';
import { readManifest } from '../server/model-loader.ts';
import { bleu, words } from './bleu.ts';
import { isSentencePieceVocab, sentencePieceDetokenizer, type Detokenizer } from './detokenize.ts';
import { fidelityOf, type Fidelity, type Outputs } from './fidelity.ts';
import { variantOutputs } from './fidelity-run.ts';
import type { ReferencePair } from './reference-pairs.ts';

export type FidelityCheck = { ok: true; fidelity: Fidelity } | { ok: false; note: string };

export class VariantOutputs {
  private readonly cache = new Map<string, Promise<Outputs | string>>();

  /** `dirFor` gives the model directory of a precision. */
  constructor(
    private readonly dirFor: (precision: string) => string,
    private readonly instances: readonly unknown[],
  ) {}

  /** The outputs, or a one-line reason they could not be produced. */
  outputs(precision: string, level: GraphOptimizationLevel): Promise<Outputs | string> {
    const key = `${precision}/${level}`;
    let pending = this.cache.get(key);
    if (pending === undefined) {
      pending = variantOutputs(this.dirFor(precision), level, this.instances).then((r) => (r.ok ? r.outputs : r.error.message));
      this.cache.set(key, pending);
    }
    return pending;
  }

  async fidelity(precision: string, level: GraphOptimizationLevel): Promise<FidelityCheck> {
    const [reference, candidate] = await Promise.all([this.outputs('fp32', 'disabled'), this.outputs(precision, level)]);
    if (typeof reference === 'string') return { ok: false, note: `fp32 reference failed: ${reference}` };
    if (typeof candidate === 'string') return { ok: false, note: candidate };
    const compared = fidelityOf(reference, candidate);
    return compared.ok ? { ok: true, fidelity: compared.fidelity } : { ok: false, note: compared.error.message };
  }
}

export type BleuResult = { ok: true; bleu: number; sentences: number } | { ok: false; note: string };

/** Why BLEU cannot be computed for this model directory, or its detokenizer. */
export function bleuDetokenizer(modelDir: string): { ok: true; detokenize: Detokenizer } | { ok: false; note: string } {
  const read = readManifest(modelDir);
  if (!read.ok) return { ok: false, note: read.message };
  const manifest = read.manifest;
  if (manifest.kind !== 'translator') return { ok: false, note: 'BLEU applies to translators only' };
  if (manifest.synthetic) return { ok: false, note: 'built-in models have synthetic weights: their translations are meaningless, BLEU would be noise' };
  if (manifest.tokenizer === undefined) return { ok: false, note: 'the model has no tokenizer (vocab.json) to turn its output ids back into words' };
  const vocab = JSON.parse(readFileSync(join(modelDir, manifest.tokenizer), 'utf8')) as Record<string, number>;
  if (!isSentencePieceVocab(vocab)) return { ok: false, note: 'the tokenizer is not SentencePiece: its pieces cannot be joined back into words' };
  return { ok: true, detokenize: sentencePieceDetokenizer(vocab, [manifest.eosId, manifest.padId]) };
}

/** Corpus BLEU of one variant's greedy translations of the pairs' sources (instances in pair order). */
export function bleuOf(outputs: Outputs, pairs: readonly ReferencePair[], detokenize: Detokenizer): BleuResult {
  if (outputs.kind !== 'tokens' || outputs.sequences.length !== pairs.length) return { ok: false, note: 'translations do not line up with the references' };
  const candidates = outputs.sequences.map((ids) => words(detokenize(ids)));
  return { ok: true, bleu: bleu(candidates, pairs.map((p) => [words(p.reference)])), sentences: pairs.length };
}
