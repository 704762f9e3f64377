/**
 * Marian's tokenization, as Hugging Face's MarianTokenizer does it, over Google's sentencepiece compiled to
 * WebAssembly (@sctg/sentencepiece-js, Apache-2.0; it embeds the .wasm, so it bundles into the server).
 * Encoding: a leading ">>xx<<" language code stays one piece, the rest of the text becomes pieces through
 * source.spm, and each piece becomes its id in vocab.json (a piece missing there is <unk>). Decoding: the
 * output ids (eos, pad and unk skipped) become pieces through vocab.json and target.spm turns them back
 * into text.
 */
import { SentencePieceProcessor } from '@sctg/sentencepiece-js';

/** One loaded .spm/.model file. */
export interface SentencePiece {
  encodePieces(text: string): string[];
  /** The piece's id in this model; its unknown id when the model has no such piece. */
  pieceToId(piece: string): number;
  decodeIds(ids: readonly number[]): string;
}

/** The library's embind objects, which it types as `any`: only what is used here. */
interface Deletable {
  delete(): void;
}
interface EmbindModule {
  StringView: new (text: string) => Deletable & { getView(): Deletable };
}
interface EmbindProcessor {
  PieceToId(view: Deletable): number;
}

export async function loadSentencePiece(path: string): Promise<SentencePiece> {
  const processor = new SentencePieceProcessor();
  await processor.load(path);
  const module = processor.sentencepiece as EmbindModule;
  const native = processor.processor as EmbindProcessor;
  const ids = new Map<string, number>();
  const pieceToId = (piece: string): number => {
    const cached = ids.get(piece);
    if (cached !== undefined) return cached;
    const text = new module.StringView(piece);
    const view = text.getView();
    try {
      const id = native.PieceToId(view);
      ids.set(piece, id);
      return id;
    } finally {
      view.delete();
      text.delete();
    }
  };
  return {
    encodePieces: (text) => processor.encodePieces(text),
    pieceToId,
    decodeIds: (list) => String(processor.decodeIds(Int32Array.from(list))),
  };
}

export interface MarianInfo {
  kind: 'sentencepiece';
  source: SentencePiece;
  vocab: ReadonlyMap<string, number>;
  unkToken: string;
}

/** MarianTokenizer's language_code_re (">>.+<<", "." excluding only newlines). */
const LANGUAGE_CODE = />>[^\n]+<</;

/** Content ids of `text` (no </s>: frameIds adds it). */
export function marianTokenize(text: string, info: MarianInfo): number[] {
  const code = new RegExp(`^${LANGUAGE_CODE.source}`).exec(text)?.[0];
  const rest = text.replace(new RegExp(LANGUAGE_CODE.source, 'g'), '');
  const pieces = [...(code === undefined ? [] : [code]), ...info.source.encodePieces(rest)];
  const unkId = info.vocab.get(info.unkToken) ?? 0;
  return pieces.map((piece) => info.vocab.get(piece) ?? unkId);
}

const SPACE_MARK = '\u2581';

/**
 * Output ids → text, as MarianTokenizer.decode(ids, skip_special_tokens=True): `skip` holds the special ids.
 * A piece target.spm lacks is kept as written, as sentencepiece's DecodePieces does.
 */
export function marianDetokenizer(target: SentencePiece, vocab: ReadonlyMap<string, number>, skip: readonly number[], unkToken: string): (ids: readonly number[]) => string {
  const pieces = new Map<number, string>();
  for (const [piece, id] of vocab) pieces.set(id, piece);
  const skipped = new Set([...skip, vocab.get(unkToken) ?? -1]);
  const targetUnk = target.pieceToId(unkToken);
  return (ids) => {
    let text = '';
    let run: number[] = [];
    const flush = () => {
      // A run after a verbatim piece keeps the space its first ▁ stands for (DecodeIds drops a leading one).
      if (run.length > 0) text += (text !== '' && pieces.get(run[0]!)?.startsWith(SPACE_MARK) ? ' ' : '') + target.decodeIds(run);
      run = [];
    };
    for (const id of ids) {
      const piece = skipped.has(id) ? undefined : pieces.get(id);
      if (piece === undefined) continue;
      const targetId = target.pieceToId(piece);
      if (targetId !== targetUnk) {
        run.push(targetId);
        continue;
      }
      flush();
      text += piece;
    }
    flush();
    return text.replaceAll(SPACE_MARK, ' ').trim();
  };
}
