/**
 * Token ids back to text with a SentencePiece vocabulary (token → id, as in a Marian export's vocab.json),
 * for scoring a real translator's greedy output with BLEU (pure). Built-in models hash their tokens and
 * cannot be detokenized: their outputs are meaningless anyway.
 */
const SPACE_MARK = '\u2581';

export type Detokenizer = (ids: readonly number[]) => string;

/** `skip` holds the ids that are not text (eos, pad). */
export function sentencePieceDetokenizer(vocab: Readonly<Record<string, number>>, skip: readonly number[]): Detokenizer {
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

/** Only a vocabulary whose pieces carry SentencePiece word marks can be joined back into words. */
export function isSentencePieceVocab(vocab: Readonly<Record<string, number>>): boolean {
  return Object.keys(vocab).some((piece) => piece.startsWith(SPACE_MARK));
}
