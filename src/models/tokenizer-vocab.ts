/**
 * The fallback for a model that ships only a vocabulary (token → id, as in vocab.json) and no tokenizer
 * model: greedy longest match, not its real tokenizer, so ids and counts are approximate. The
 * vocabulary's own conventions pick the mode: SentencePiece ("▁" marks a word start: spaces become
 * "▁" and the whole text is matched), WordPiece ("##" marks a continuation: each word is matched
 * alone, its later pieces with "##"), else plain pieces with whitespace dropped. A character no
 * token covers becomes the unknown id.
 */
export interface VocabTokenizerInfo {
  kind: 'vocab';
  vocab: Record<string, number>;
}

const SPACE_MARK = '\u2581';
const CONTINUATION = '##';
const MAX_TOKEN_CHARS = 48;

type Mode = 'sentencepiece' | 'wordpiece' | 'plain';

interface Prepared {
  ids: Map<string, number>;
  longest: number;
  mode: Mode;
  unknownId: number;
}

const prepared = new WeakMap<Record<string, number>, Prepared>();

export function vocabTokenize(text: string, info: VocabTokenizerInfo): number[] {
  const p = prepare(info.vocab);
  const normalized = text.normalize('NFKC').trim();
  if (p.mode === 'sentencepiece') return matchAll(`${SPACE_MARK}${normalized.split(/\s+/).join(SPACE_MARK)}`, p, '');
  const words = normalized.match(/[\p{L}\p{N}\p{M}]+|[^\s]/gu) ?? [];
  if (p.mode === 'plain') return words.flatMap((w) => matchAll(w, p, ''));
  return words.flatMap((w) => wordPiece(w, p));
}

/** A word split into pieces, or a single unknown id when some part of it matches nothing (as BERT does). */
function wordPiece(word: string, p: Prepared): number[] {
  const forms = [word, word.toLowerCase()];
  for (const form of forms) {
    const ids = matchAll(form, p, CONTINUATION);
    if (!ids.includes(p.unknownId)) return ids;
  }
  return [p.unknownId];
}

/** Longest match at each position; pieces after the first get `continuation` prefixed. */
function matchAll(text: string, p: Prepared, continuation: string): number[] {
  const chars = [...text];
  const ids: number[] = [];
  let at = 0;
  while (at < chars.length) {
    const prefix = at > 0 ? continuation : '';
    let matched = 0;
    for (let length = Math.min(p.longest, chars.length - at); length > 0 && matched === 0; length--) {
      const id = p.ids.get(prefix + chars.slice(at, at + length).join(''));
      if (id !== undefined) {
        ids.push(id);
        matched = length;
      }
    }
    if (matched === 0) ids.push(p.unknownId);
    at += Math.max(matched, 1);
  }
  return ids;
}

function prepare(vocab: Record<string, number>): Prepared {
  const cached = prepared.get(vocab);
  if (cached) return cached;
  const tokens = Object.keys(vocab);
  const mode: Mode = tokens.some((t) => t.startsWith(SPACE_MARK)) ? 'sentencepiece' : tokens.some((t) => t.startsWith(CONTINUATION)) ? 'wordpiece' : 'plain';
  const longest = Math.min(MAX_TOKEN_CHARS, tokens.reduce((m, t) => Math.max(m, [...t].length), 1));
  const unknownId = vocab['<unk>'] ?? vocab['[UNK]'] ?? vocab['<UNK>'] ?? 0;
  const result = { ids: new Map(Object.entries(vocab)), longest, mode, unknownId };
  prepared.set(vocab, result);
  return result;
}

/** Only a vocabulary whose pieces carry SentencePiece word marks can be joined back into words. */
export function isSentencePieceVocab(vocab: Readonly<Record<string, number>>): boolean {
  return Object.keys(vocab).some((piece) => piece.startsWith(SPACE_MARK));
}

/** Output ids → text by joining their pieces and turning ▁ into spaces; `skip` holds the ids that are not text (eos, pad). */
export function sentencePieceDetokenizer(vocab: Readonly<Record<string, number>>, skip: readonly number[]): (ids: readonly number[]) => string {
  const pieces = new Map<number, string>();
  for (const [piece, id] of Object.entries(vocab)) pieces.set(id, piece);
  const skipped = new Set(skip);
  return (ids) =>
    ids
      .filter((id) => !skipped.has(id))
      .map((id) => pieces.get(id) ?? '')
      .join('')
      .split(SPACE_MARK)
      .filter((word) => word !== '')
      .join(' ');
}
