/**
 * The build contexts of the offline images: which host files go where in the image, plus generated files.
 * Planning is separate from staging so an image's tag (a hash of its plan) is known before copying anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { bundleServer } from './bundle.ts';
import { APP_DIR, groupFile, NODE_PATH_IN_IMAGE, passwdFile, ROOTFS, runtimeDockerfile, serverDockerfile } from './dockerfile.ts';
import { sharedLibraries } from './libraries.ts';

export type ContextEntry = { imagePath: string } & ({ hostPath: string } | { contents: string });

export interface ContextPlan {
  dockerfile: string;
  entries: ContextEntry[];
}

/** ONNX Runtime's native files for the one platform the image runs on. */
const ORT_BINDING_DIR = 'bin/napi-v6/linux/x64';
const MODULES_DIR = `${APP_DIR}/node_modules`;

/** node, the shared libraries it and ONNX Runtime link to (with the loader), ONNX Runtime, the user database. */
export async function planRuntime(nodeBinary: string): Promise<ContextPlan> {
  const ortNode = packageDir('onnxruntime-node');
  const ortCommon = packageDir('onnxruntime-common');
  const binding = join(ortNode, ORT_BINDING_DIR);
  const nativeFiles = [nodeBinary, join(binding, 'onnxruntime_binding.node'), join(binding, 'libonnxruntime.so.1')];
  const libraries = await sharedLibraries(nativeFiles, [ortNode]);
  const entries: ContextEntry[] = [
    { imagePath: NODE_PATH_IN_IMAGE, hostPath: nodeBinary },
    { imagePath: '/etc/passwd', contents: passwdFile() },
    { imagePath: '/etc/group', contents: groupFile() },
    ...libraries.map((path) => ({ imagePath: path, hostPath: path })),
    ...(await packageFiles(ortNode, `${MODULES_DIR}/onnxruntime-node`, ['package.json', 'dist', ORT_BINDING_DIR])),
    ...(await packageFiles(ortCommon, `${MODULES_DIR}/onnxruntime-common`, ['package.json', 'dist'])),
  ];
  return { dockerfile: runtimeDockerfile(), entries };
}

/** The bundled server on top of the runtime image. */
export async function planServer(serverEntry: string, runtimeTag: string): Promise<ContextPlan> {
  const entries: ContextEntry[] = [
    ...(await bundleServer(serverEntry)).map((file) => ({ imagePath: `${APP_DIR}/${file.name}`, contents: file.text })),
    { imagePath: `${APP_DIR}/package.json`, contents: '{"type":"module"}\n' },
  ];
  return { dockerfile: serverDockerfile(runtimeTag), entries };
}

/** A short hash of everything that goes into an image: generated text by content, host files by identity. */
export async function hashPlan(plan: ContextPlan): Promise<string> {
  const hash = createHash('sha256').update(plan.dockerfile);
  for (const entry of plan.entries) {
    hash.update(`\0${entry.imagePath}\0`);
    if ('contents' in entry) hash.update(entry.contents);
    else {
      const info = await stat(entry.hostPath);
      hash.update(`${entry.hostPath}:${info.size}:${info.mtimeMs}`);
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** Writes the Dockerfile and rootfs/ into `dir`, ready to be sent as the build context. */
export async function stageContext(plan: ContextPlan, dir: string): Promise<void> {
  await writeFile(join(dir, 'Dockerfile'), plan.dockerfile);
  for (const entry of plan.entries) {
    const target = join(dir, ROOTFS, entry.imagePath);
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

/** A package's root: the main file's nearest folder with its package.json (some hide it from `exports`). */
function packageDir(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!isPackageRoot(dir, name)) dir = dirname(dir);
  return dir;
}

function isPackageRoot(dir: string, name: string): boolean {
  const manifest = join(dir, 'package.json');
  return dir === '/' || (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name);
}

/** The listed files and folders of a package (recursively), without source maps and type declarations. */
async function packageFiles(root: string, imageRoot: string, parts: string[]): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  for (const part of parts) {
    const path = join(root, part);
    const files = (await stat(path)).isDirectory() ? await filesUnder(path) : [path];
    for (const file of files.filter((f) => !/\.(map|d\.ts)$/.test(f))) {
      entries.push({ imagePath: `${imageRoot}/${relative(root, file)}`, hostPath: file });
    }
  }
  return entries;
}

async function filesUnder(dir: string): Promise<string[]> {
  const found = await readdir(dir, { recursive: true, withFileTypes: true });
  return found.filter((d) => d.isFile()).map((d) => join(d.parentPath ?? d.path, d.name)).sort();
}
