/**
 * translator (marian): greedy decoding over Optimum's three-file seq2seq export. The encoder runs once per
 * batch; decoder_model takes the first step from the start token (= pad id) and yields present.* key/value
 * caches; decoder_with_past_model then takes one new token per step, fed the previous step's present.* as
 * past_key_values.*. All sequences of a batch decode together; each stops on its own (EOS or its length
 * limit, see decode-length.ts) and the loop ends when the last one has stopped. With the model's target
 * SentencePiece model the ids are also turned back into text, as MarianTokenizer.decode does.
 */
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import type { TranslatorManifest } from '../../models/manifest.ts';
import { decodeLimit } from './decode-length.ts';
import { feedsFor, pastFromPresent, type Feeds } from './decoder-feeds.ts';
import { padBatch } from './padding.ts';
import type { BatchRunner } from './runner.ts';

export interface TranslatorSessions {
  encoder: InferenceSession;
  decoder: InferenceSession;
  decoderWithPast: InferenceSession;
}

export interface Translation {
  token_ids: number[];
  /** The translation as text, when the model ships its target SentencePiece model (or ▁-marked vocab.json). */
  text?: string;
}

/** Output ids → text (special ids skipped). */
export type Detokenize = (ids: readonly number[]) => string;

export class TranslatorRunner implements BatchRunner<number[]> {
  constructor(
    private readonly manifest: TranslatorManifest,
    private readonly sessions: TranslatorSessions,
    private readonly detokenize?: Detokenize,
  ) {}

  async run(batch: number[][]): Promise<Translation[]> {
    const source = padBatch(batch, this.manifest.padId);
    const attentionMask = new Tensor('int64', source.mask, [source.batch, source.length]);
    const encoded = await this.sessions.encoder.run({
      input_ids: new Tensor('int64', source.ids, [source.batch, source.length]),
      attention_mask: attentionMask,
    });
    const context: Feeds = {
      encoder_attention_mask: attentionMask,
      encoder_hidden_states: encoded.last_hidden_state!,
    };
    const decoding = new Decoding(batch.map((sequence) => decodeLimit(this.manifest, sequence.length)), this.manifest);
    let session = this.sessions.decoder;
    let cache: Feeds = {};
    let tokens: BigInt64Array = new BigInt64Array(batch.length).fill(BigInt(this.manifest.padId)); // decoder start
    for (;;) {
      const outputs = await session.run(feedsFor(session, { ...context, ...cache, input_ids: new Tensor('int64', tokens, [batch.length, 1]) }));
      tokens = decoding.step(outputs.logits!);
      if (decoding.finished) return this.withText(decoding.results());
      cache = { ...cache, ...pastFromPresent(outputs) };
      session = this.sessions.decoderWithPast;
    }
  }

  private withText(translations: Translation[]): Translation[] {
    const detokenize = this.detokenize;
    return detokenize ? translations.map((t) => ({ ...t, text: detokenize(t.token_ids) })) : translations;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((session: InferenceSession) => session.release()));
  }
}

/** Per-sequence state of one greedy decode. */
class Decoding {
  private readonly tokens: number[][];
  private readonly done: boolean[];

  constructor(
    private readonly limits: number[],
    private readonly manifest: Pick<TranslatorManifest, 'synthetic' | 'eosId' | 'vocabSize' | 'padId'>,
  ) {
    this.tokens = limits.map(() => []);
    this.done = limits.map(() => false);
  }

  get finished(): boolean {
    return this.done.every(Boolean);
  }

  /** Picks each sequence's next token from the last position's logits; returns the next decoder input. */
  step(logits: Tensor): BigInt64Array {
    const data = logits.data as Float32Array;
    const vocab = this.manifest.vocabSize;
    const rowLength = data.length / this.limits.length;
    const next = new BigInt64Array(this.limits.length).fill(BigInt(this.manifest.eosId));
    this.limits.forEach((limit, b) => {
      if (this.done[b]) return;
      const lastPosition = b * rowLength + rowLength - vocab;
      const token = argmaxExcept(data, lastPosition, vocab, this.manifest.padId);
      const isEos = !this.manifest.synthetic && token === this.manifest.eosId;
      if (!isEos) this.tokens[b]!.push(token);
      this.done[b] = isEos || this.tokens[b]!.length >= limit;
      next[b] = BigInt(token);
    });
    return next;
  }

  results(): Translation[] {
    return this.tokens.map((token_ids) => ({ token_ids }));
  }
}

/**
 * The best token of one logits row, never the pad id: Marian's generation config bans it
 * (bad_words_ids = [[pad]]), since pad doubles as the decoder start token.
 */
export function argmaxExcept(logits: Float32Array, offset: number, vocab: number, banned: number): number {
  let best = banned === 0 ? 1 : 0;
  for (let i = 0; i < vocab; i++) {
    if (i !== banned && logits[offset + i]! > logits[offset + best]!) best = i;
  }
  return best;
}
