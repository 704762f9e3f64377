/**
 * A reference file for BLEU: one pair per line, `source<TAB>reference translation` (the Tatoeba/OPUS test-set
 * layout). Parsed purely; blank lines are skipped, and a line without exactly one tab is refused by number.
 */
export interface ReferencePair {
  source: string;
  reference: string;
}

export type PairsResult = { ok: true; pairs: ReferencePair[] } | { ok: false; error: { code: 'references_invalid'; message: string } };

export function parseReferencePairs(text: string, origin: string): PairsResult {
  const pairs: ReferencePair[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const fields = line.split('\t');
    if (fields.length !== 2 || fields[0]!.trim() === '' || fields[1]!.trim() === '') {
      return { ok: false, error: { code: 'references_invalid', message: `${origin}:${index + 1}: expected "source<TAB>reference", got ${fields.length - 1} tab(s)` } };
    }
    pairs.push({ source: fields[0]!.trim(), reference: fields[1]!.trim() });
  }
  if (pairs.length === 0) return { ok: false, error: { code: 'references_invalid', message: `${origin} holds no source/reference pair` } };
  return { ok: true, pairs };
}
