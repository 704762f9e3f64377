/**
 * Character accuracy of text recognition (pure): 1 − CER, the character error rate being the Levenshtein
 * distance (insertions, deletions, substitutions, each 1) between the recognized and the reference text,
 * summed over the lines and divided by the references' total length, as OCR evaluations report it. Characters
 * are Unicode code points. An output with more errors than the references have characters would score below
 * 0; it is reported as 0.
 */

/** Levenshtein distance between two strings, by code point. */
export function editDistance(a: string, b: string): number {
  const [source, target] = [Array.from(a), Array.from(b)];
  let previous = Array.from({ length: target.length + 1 }, (_, j) => j);
  for (let i = 1; i <= source.length; i++) {
    const current = [i];
    for (let j = 1; j <= target.length; j++) {
      const substitution = previous[j - 1]! + (source[i - 1] === target[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[target.length]!;
}

export interface CharacterScore {
  /** 1 − (summed edit distance ÷ summed reference length), at least 0; NaN without reference characters. */
  accuracy: number;
  errors: number;
  characters: number;
  /** Lines read exactly. */
  exactMatches: number;
  lines: number;
}

/** `candidates[i]` is scored against `references[i]`. */
export function characterScore(references: readonly string[], candidates: readonly string[]): CharacterScore {
  if (references.length !== candidates.length) throw new RangeError(`character accuracy: ${candidates.length} candidates for ${references.length} references`);
  let errors = 0;
  let characters = 0;
  let exactMatches = 0;
  references.forEach((reference, i) => {
    const distance = editDistance(candidates[i]!, reference);
    errors += distance;
    characters += Array.from(reference).length;
    if (distance === 0) exactMatches++;
  });
  const accuracy = characters === 0 ? NaN : Math.max(0, 1 - errors / characters);
  return { accuracy, errors, characters, exactMatches, lines: references.length };
}
