/**
 * Google's sentencepiece command-line tools (Debian's `sentencepiece` package, installed by scripts/setup.sh)
 * as the reference for the server's SentencePiece tokenizer: train tiny models on a corpus the test writes,
 * and encode/decode with spm_encode/spm_decode.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chineseSentence } from '../../../src/load/workloads/chinese-sentences.ts';
import { tweet } from '../../../src/load/workloads/tweets.ts';
import { mulberry32 } from '../../../src/models/weights.ts';
import { TINY_MARIAN, writeOptimumFolder } from './tiny-models.ts';

/** Throws with the fix when the tools are missing (they are the reference: the tests cannot run without them). */
export function requireSpm(): void {
  try {
    execFileSync('spm_train', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('spm_train is not on PATH: install Debian\'s sentencepiece package (bash scripts/setup.sh does)');
  }
}

/** Generated Chinese sentences and English tweets, alternating (`kind` picks one language only). */
export function corpus(seed: number, count: number, kind: 'mixed' | 'english' = 'mixed'): string[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => (kind === 'english' || i % 2 === 1 ? tweet(random) : chineseSentence(random)));
}

export interface TrainedSpm {
  model: string;
  /** The model's pieces in id order (from the .vocab file spm_train writes beside it). */
  pieces: string[];
}

/** Trains `<dir>/<name>.model` on `lines`. */
export function trainSpm(dir: string, name: string, lines: readonly string[], options: { type: 'unigram' | 'bpe'; vocabSize: number }): TrainedSpm {
  const input = join(dir, `${name}.txt`);
  writeFileSync(input, `${lines.join('\n')}\n`);
  const prefix = join(dir, name);
  const args = [`--input=${input}`, `--model_prefix=${prefix}`, `--vocab_size=${options.vocabSize}`, `--model_type=${options.type}`, '--character_coverage=1.0', '--minloglevel=2'];
  execFileSync('spm_train', args, { stdio: 'pipe' });
  const pieces = readFileSync(`${prefix}.vocab`, 'utf8').split('\n').filter((line) => line !== '').map((line) => line.split('\t')[0]!);
  return { model: `${prefix}.model`, pieces };
}

/** spm_encode --output_format=id: one id list per line. */
export function spmEncodeIds(model: string, lines: readonly string[]): number[][] {
  return spmLines(['spm_encode', `--model=${model}`, '--output_format=id'], lines).map((line) => (line === '' ? [] : line.split(' ').map(Number)));
}

/** spm_encode --output_format=piece: one piece list per line. */
export function spmEncodePieces(model: string, lines: readonly string[]): string[][] {
  return spmLines(['spm_encode', `--model=${model}`, '--output_format=piece'], lines).map((line) => (line === '' ? [] : line.split(' ')));
}

/** spm_decode --input_format=piece: the text of each piece list. */
export function spmDecodePieces(model: string, pieceLists: readonly (readonly string[])[]): string[] {
  return spmLines(['spm_decode', `--model=${model}`, '--input_format=piece'], pieceLists.map((pieces) => pieces.join(' ')));
}

function spmLines([command, ...args]: string[], lines: readonly string[]): string[] {
  const out = execFileSync(command!, args, { input: `${lines.join('\n')}\n`, maxBuffer: 64 * 1024 * 1024 }).toString('utf8').split('\n');
  if (out.at(-1) === '') out.pop();
  if (out.length !== lines.length) throw new Error(`${command} answered ${out.length} lines for ${lines.length}`);
  return out;
}

export interface MarianSpmFolder {
  spmModel: string;
  /** vocab.json as written: </s> 0, <unk> 1, the pieces, <pad> last (Marian's layout). */
  vocab: Record<string, number>;
}

/**
 * A toy Optimum Marian export (writeOptimumFolder's real graphs) whose source.spm and target.spm are a
 * 110-piece unigram model trained in `workDir` on English tweets, with the vocab.json Marian would ship.
 */
export function writeMarianSpmFolder(folder: string, workDir: string): MarianSpmFolder {
  writeOptimumFolder(folder);
  const spm = trainSpm(workDir, 'marian-tweets', corpus(31, 2000, 'english'), { type: 'unigram', vocabSize: 110 });
  copyFileSync(spm.model, join(folder, 'source.spm'));
  copyFileSync(spm.model, join(folder, 'target.spm'));
  const pieces = spm.pieces.filter((piece) => !['<unk>', '<s>', '</s>'].includes(piece));
  if (pieces.length + 2 >= TINY_MARIAN.padId) throw new Error(`${pieces.length} pieces do not fit below <pad>`);
  const vocab = { '</s>': TINY_MARIAN.eosId, '<unk>': 1, ...Object.fromEntries(pieces.map((piece, i) => [piece, i + 2])), '<pad>': TINY_MARIAN.padId };
  writeFileSync(join(folder, 'vocab.json'), JSON.stringify(vocab));
  return { spmModel: spm.model, vocab };
}

/** Tweet openings: with a 110-piece vocabulary whole tweets outgrow the toy model's 64 source tokens. */
export function shortTexts(seed: number, count: number): string[] {
  return corpus(seed, count, 'english').map((text) => text.split(' ').slice(0, 5).join(' '));
}

/** What MarianTokenizer.decode gives for `ids` by the reference tools: pieces through vocab.json, specials dropped, spm_decode. */
export function referenceDecode(spmModel: string, vocab: Record<string, number>, idLists: readonly (readonly number[])[]): string[] {
  const inverse = new Map(Object.entries(vocab).map(([piece, id]) => [id, piece]));
  const specials = new Set([vocab['</s>'], vocab['<pad>'], vocab['<unk>']]);
  const pieceLists = idLists.map((ids) => ids.filter((id) => !specials.has(id) && inverse.has(id)).map((id) => inverse.get(id)!));
  return spmDecodePieces(spmModel, pieceLists).map((text) => text.trim());
}
