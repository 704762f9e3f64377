/**
 * CTC greedy decoding of a recognizer's per-frame class probabilities, as PaddleOCR's CTCLabelDecode
 * (ppocr/postprocess/rec_postprocess.py) does it: the best class of each frame; a frame is kept when its class
 * differs from the previous frame's (repeats collapse; a blank between two equal classes keeps both) and is not
 * the blank; the text is the kept classes' characters, the confidence the mean of their probabilities (0 when
 * nothing is kept). Pure.
 */

/** Class 0 of a CTC head is the blank. */
export const CTC_BLANK = 0;

export interface CtcDecoded {
  labels: number[];
  confidence: number;
}

/** Decodes the `frames` × `classes` rows of `probabilities` that start at `offset`. */
export function ctcGreedyDecode(probabilities: Float32Array, frames: number, classes: number, offset = 0): CtcDecoded {
  const labels: number[] = [];
  let sum = 0;
  let previous = -1;
  for (let t = 0; t < frames; t++) {
    const row = offset + t * classes;
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[row + k]! > probabilities[row + best]!) best = k;
    if (best !== previous && best !== CTC_BLANK) {
      labels.push(best);
      sum += probabilities[row + best]!;
    }
    previous = best;
  }
  return { labels, confidence: labels.length === 0 ? 0 : sum / labels.length };
}

/**
 * The characters of the CTC classes from a PaddleOCR dictionary file (one character a line): class 0 the blank
 * (''), classes 1..n the file's lines in order, class n+1 a space (use_space_char=True). As PaddleOCR reads it,
 * each line loses its "\n" or "\r\n" and a final newline adds no line.
 */
export function ctcCharacters(dictionary: string): string[] {
  const lines = dictionary.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}

export function labelsToText(labels: readonly number[], characters: readonly string[]): string {
  return labels.map((label) => characters[label] ?? '').join('');
}
