/**
 * BERT's tokenizer, as Hugging Face's BertTokenizer (and Google's tokenization.py) does it: the special
 * tokens in the text are kept whole; the rest is cleaned (NUL, U+FFFD and control characters dropped,
 * whitespace → space), CJK ideographs get spaces around them, the text is NFC-normalized and split on
 * whitespace; each word is lowercased and/or stripped of accents (NFD, combining marks dropped) as the
 * model was trained, split around punctuation, then WordPiece: greedy longest match from the left, later
 * pieces prefixed "##", and a word with any unmatched part (or over 100 characters) is one [UNK].
 */
export interface WordPieceInfo {
  kind: 'wordpiece';
  vocab: ReadonlyMap<string, number>;
  lowercase: boolean;
  stripAccents: boolean;
  splitChinese: boolean;
  unkToken: string;
  /** Kept whole and untouched wherever they appear in the text ([CLS], [SEP], …). */
  specialTokens: readonly string[];
}

const CONTINUATION = '##';
const MAX_WORD_CHARS = 100;

export function wordPieceTokenize(text: string, info: WordPieceInfo): number[] {
  const unkId = info.vocab.get(info.unkToken) ?? 0;
  return splitSpecials(text, info.specialTokens).flatMap((part) => {
    if (part.special) return [info.vocab.get(part.text) ?? unkId];
    return basicTokens(part.text, info).flatMap((word) => wordPiece(word, info.vocab, unkId));
  });
}

/** BasicTokenizer: words and punctuation marks, cleaned, case-folded and accent-stripped as configured. */
export function basicTokens(text: string, options: Pick<WordPieceInfo, 'lowercase' | 'stripAccents' | 'splitChinese'>): string[] {
  let cleaned = '';
  for (const char of text) {
    if (char === '\0' || char === '\uFFFD' || isControl(char)) continue;
    cleaned += isWhitespace(char) ? ' ' : options.splitChinese && isChineseChar(char.codePointAt(0)!) ? ` ${char} ` : char;
  }
  return words(cleaned.normalize('NFC')).flatMap((word) => {
    let folded = options.lowercase ? word.toLowerCase() : word;
    if (options.stripAccents) folded = folded.normalize('NFD').replace(/\p{Mn}/gu, '');
    return splitOnPunctuation(folded);
  });
}

/** One word → its WordPiece ids, or a single unknown id. */
function wordPiece(word: string, vocab: ReadonlyMap<string, number>, unkId: number): number[] {
  const chars = [...word];
  if (chars.length > MAX_WORD_CHARS) return [unkId];
  const ids: number[] = [];
  for (let start = 0; start < chars.length; ) {
    let end = chars.length;
    let id: number | undefined;
    for (; end > start; end--) {
      id = vocab.get((start > 0 ? CONTINUATION : '') + chars.slice(start, end).join(''));
      if (id !== undefined) break;
    }
    if (id === undefined) return [unkId];
    ids.push(id);
    start = end;
  }
  return ids;
}

function splitSpecials(text: string, specials: readonly string[]): { text: string; special: boolean }[] {
  const present = specials.filter((token) => token !== '' && text.includes(token));
  if (present.length === 0) return [{ text, special: false }];
  const pattern = new RegExp(`(${present.map(escapeRegExp).sort((a, b) => b.length - a.length).join('|')})`);
  return text.split(pattern).map((piece, i) => ({ text: piece, special: i % 2 === 1 }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function words(text: string): string[] {
  return text.split(' ').filter((word) => word !== '');
}

function splitOnPunctuation(word: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const char of word) {
    if (isPunctuation(char)) {
      if (current !== '') out.push(current);
      out.push(char);
      current = '';
    } else current += char;
  }
  if (current !== '') out.push(current);
  return out;
}

/** BERT's whitespace: space, tab, newline, carriage return and the Zs category. */
function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || /\p{Zs}/u.test(char);
}

/** BERT's control characters: any C* category except tab, newline and carriage return. */
function isControl(char: string): boolean {
  return char !== '\t' && char !== '\n' && char !== '\r' && /\p{C}/u.test(char);
}

/** BERT's punctuation: every non-letter/number ASCII symbol (so $, ^, ` count) plus the P* categories. */
function isPunctuation(char: string): boolean {
  const cp = char.codePointAt(0)!;
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126) || /\p{P}/u.test(char);
}

/** The CJK Unified Ideographs blocks BERT splits per character (not Hangul, Hiragana or Katakana). */
const CJK_RANGES: readonly (readonly [number, number])[] = [
  [0x4e00, 0x9fff],
  [0x3400, 0x4dbf],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f],
  [0x2b820, 0x2ceaf],
  [0xf900, 0xfaff],
  [0x2f800, 0x2fa1f],
];

function isChineseChar(cp: number): boolean {
  return CJK_RANGES.some(([low, high]) => cp >= low && cp <= high);
}
