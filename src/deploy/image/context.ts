/**
 * The build context of the offline image: which host files go where in the image, plus generated files.
 * Planning is separate from staging so the image tag (a hash of the plan) is known before copying 150 MB.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { bundleServer } from './bundle.ts';
import { APP_DIR, groupFile, LAYERS, NODE_PATH_IN_IMAGE, offlineDockerfile, passwdFile } from './dockerfile.ts';
import { sharedLibraries } from './libraries.ts';

/**
 * Files go into one of two layers: the runtime (node, libraries, ONNX Runtime), which the engine caches and
 * shares between builds, and the bundled server, which changes with every edit of src/server.
 */
export type Layer = (typeof LAYERS)[number];
type Source = { hostPath: string } | { contents: string };
export type ContextEntry = { imagePath: string; layer: Layer } & Source;

export interface ContextPlan {
  dockerfile: string;
  entries: ContextEntry[];
}

export interface ContextSources {
  serverEntry: string; // TypeScript entry of the model server
  nodeBinary: string; // host node, copied as is
}

/** ONNX Runtime's native files for the one platform the image runs on. */
const ORT_BINDING_DIR = 'bin/napi-v6/linux/x64';

export async function planContext(sources: ContextSources): Promise<ContextPlan> {
  const ortNode = packageDir('onnxruntime-node');
  const ortCommon = packageDir('onnxruntime-common');
  const binding = join(ortNode, ORT_BINDING_DIR);
  const nativeFiles = [sources.nodeBinary, join(binding, 'onnxruntime_binding.node'), join(binding, 'libonnxruntime.so.1')];
  const libraries = await sharedLibraries(nativeFiles, [ortNode]);
  const modules = `${APP_DIR}/node_modules`;
  const entries: ContextEntry[] = [
    { layer: 'server', imagePath: `${APP_DIR}/server.js`, contents: await bundleServer(sources.serverEntry) },
    { layer: 'server', imagePath: `${APP_DIR}/package.json`, contents: '{"type":"module"}\n' },
    { layer: 'runtime', imagePath: NODE_PATH_IN_IMAGE, hostPath: sources.nodeBinary },
    { layer: 'runtime', imagePath: '/etc/passwd', contents: passwdFile() },
    { layer: 'runtime', imagePath: '/etc/group', contents: groupFile() },
    ...libraries.map((path): ContextEntry => ({ layer: 'runtime', imagePath: path, hostPath: path })),
    ...(await packageFiles(ortNode, `${modules}/onnxruntime-node`, ['package.json', 'dist', ORT_BINDING_DIR])),
    ...(await packageFiles(ortCommon, `${modules}/onnxruntime-common`, ['package.json', 'dist'])),
  ];
  return { dockerfile: offlineDockerfile(), entries };
}

/** A short hash of everything that goes into the image: generated text by content, host files by identity. */
export async function hashPlan(plan: ContextPlan): Promise<string> {
  const hash = createHash('sha256').update(plan.dockerfile);
  for (const entry of plan.entries) {
    hash.update(`\0${entry.layer}:${entry.imagePath}\0`);
    if ('contents' in entry) hash.update(entry.contents);
    else {
      const info = await stat(entry.hostPath);
      hash.update(`${entry.hostPath}:${info.size}:${info.mtimeMs}`);
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** Writes the Dockerfile and one folder per layer into `dir`, ready to be sent as the build context. */
export async function stageContext(plan: ContextPlan, dir: string): Promise<void> {
  await writeFile(join(dir, 'Dockerfile'), plan.dockerfile);
  for (const entry of plan.entries) {
    const target = join(dir, entry.layer, entry.imagePath);
    await mkdir(dirname(target), { recursive: true });
    if ('contents' in entry) await writeFile(target, entry.contents, { mode: 0o644 });
    else await linkOrCopy(entry.hostPath, target);
  }
}

/** A hard link (to the real file: libraries are often symlinks) costs nothing; across filesystems, copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  const file = await realpath(from);
  await link(file, to).catch(() => copyFile(file, to));
}

/** A package's root: the main file's nearest folder holding a package.json (some packages hide it from `exports`). */
function packageDir(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!isPackageRoot(dir, name)) dir = dirname(dir);
  return dir;
}

/** The listed files and folders of a package (recursively), without source maps and type declarations. */
function isPackageRoot(dir: string, name: string): boolean {
  const manifest = join(dir, 'package.json');
  return dir === '/' || (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name);
}

async function packageFiles(root: string, imageRoot: string, parts: string[]): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  for (const part of parts) {
    const path = join(root, part);
    const files = (await stat(path)).isDirectory() ? await filesUnder(path) : [path];
    for (const file of files.filter((f) => !/\.(map|d\.ts)$/.test(f))) {
      entries.push({ layer: 'runtime', imagePath: `${imageRoot}/${relative(root, file)}`, hostPath: file });
    }
  }
  return entries;
}

async function filesUnder(dir: string): Promise<string[]> {
  const found = await readdir(dir, { recursive: true, withFileTypes: true });
  return found.filter((d) => d.isFile()).map((d) => join(d.parentPath ?? d.path, d.name)).sort();
}
