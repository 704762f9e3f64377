/**
 * The model-server image. No registry is reachable, so it is built offline: tune-runtime FROM scratch out
 * of the host's node, the shared libraries it and ONNX Runtime link to, and onnxruntime-node; tune-server
 * on top of it with the bundled server (containers/Dockerfile is the ordinary build for machines that can
 * pull node:20). Each is tagged by a hash of its inputs, so it is rebuilt exactly when they change.
 */
import type Docker from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineAddress } from './docker/client.ts';
import { engineMessage, engineUnreachableFailure, isEngineUnreachable, statusCodeOf } from './docker/engine-errors.ts';
import { hashPlan, planRuntime, planServer, stageContext, type ContextPlan } from './image/context.ts';
import { IMAGE_LABEL_KEY, ROOTFS } from './image/dockerfile.ts';
import { staleImages } from './image/stale.ts';

export const IMAGE_REPOSITORY = 'tune-server';
export const RUNTIME_REPOSITORY = 'tune-runtime';
export const LATEST_IMAGE = `${IMAGE_REPOSITORY}:latest`;

export interface ImageSources {
  serverEntry: string; // entry of the model server: src/server/main.ts, or dist/server/main.js when built
  nodeBinary: string; // host node, copied as is
}

/** The server beside this module, in its own form: .ts when run from src through tsx, .js from dist/. */
const OWN_EXTENSION = extname(fileURLToPath(import.meta.url));

const DEFAULT_SOURCES: ImageSources = {
  serverEntry: fileURLToPath(new URL(`../server/main${OWN_EXTENSION}`, import.meta.url)),
  nodeBinary: process.execPath,
};

export interface ImageFailure {
  kind: 'engine_unreachable' | 'build_failed';
  message: string;
}

export type ImageResult = { ok: true; tag: string; built: boolean } | { ok: false; failure: ImageFailure };

export interface ImageOptions {
  sources?: Partial<ImageSources>;
  /** Build progress lines from the engine. */
  log?: (line: string) => void;
}

interface PlannedImage {
  plan: ContextPlan;
  tag: string; // repository:<hash of the plan>
}

/** The runtime and server images `sources` make, with their tags: known without Docker (an export names the tag). */
export async function plannedImages(sources: Partial<ImageSources> = {}): Promise<{ runtime: PlannedImage; server: PlannedImage }> {
  const { nodeBinary, serverEntry } = { ...DEFAULT_SOURCES, ...sources };
  const runtimePlan = await planRuntime(nodeBinary);
  const runtime = { plan: runtimePlan, tag: `${RUNTIME_REPOSITORY}:${await hashPlan(runtimePlan)}` };
  const serverPlan = await planServer(serverEntry, runtime.tag);
  return { runtime, server: { plan: serverPlan, tag: `${IMAGE_REPOSITORY}:${await hashPlan(serverPlan)}` } };
}

/** Builds tune-server:<hash> (and its runtime) unless present, and points tune-server:latest at it. */
export async function ensureImage(docker: Docker, options: ImageOptions = {}): Promise<ImageResult> {
  let tag: string = IMAGE_REPOSITORY;
  try {
    const planned = await plannedImages(options.sources);
    const runtime = await ensureBuilt(docker, RUNTIME_REPOSITORY, planned.runtime, options.log);
    const server = await ensureBuilt(docker, IMAGE_REPOSITORY, planned.server, options.log);
    tag = server.tag;
    await docker.getImage(tag).tag({ repo: IMAGE_REPOSITORY, tag: 'latest' });
    if (server.built) {
      // Servers first: a runtime cannot go while server images built on it remain.
      await removeStaleImages(docker, IMAGE_REPOSITORY, tag);
      await removeStaleImages(docker, RUNTIME_REPOSITORY, runtime.tag);
    }
    return { ok: true, tag, built: server.built };
  } catch (error) {
    if (isEngineUnreachable(error)) return { ok: false, failure: engineUnreachableFailure(engineAddress(docker)) };
    return { ok: false, failure: { kind: 'build_failed', message: `Building image ${tag} failed: ${engineMessage(error)}` } };
  }
}

async function ensureBuilt(docker: Docker, repository: string, { plan, tag }: PlannedImage, log?: (line: string) => void) {
  if (await imageExists(docker, tag)) return { tag, built: false };
  await buildFromPlan(docker, plan, tag, { [IMAGE_LABEL_KEY]: repository }, log);
  return { tag, built: true };
}

async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (error) {
    if (statusCodeOf(error) === 404) return false;
    throw error;
  }
}

async function buildFromPlan(docker: Docker, plan: ContextPlan, tag: string, labels: Record<string, string>, log?: (line: string) => void) {
  const dir = await mkdtemp(join(tmpdir(), 'tune-image-'));
  try {
    await stageContext(plan, dir);
    const stream = await docker.buildImage({ context: dir, src: ['Dockerfile', ROOTFS] }, { t: tag, labels, rm: true, forcerm: true });
    await followBuild(docker, stream, log);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The build stream reports failures as events, not as a failed request. */
function followBuild(docker: Docker, stream: NodeJS.ReadableStream, log?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: { error?: string }[]) => {
        const failed = error?.message ?? events.find((e) => e.error)?.error;
        if (failed) reject(new Error(failed));
        else resolve();
      },
      (event: { stream?: string }) => {
        const line = event.stream?.trim();
        if (line && log) log(line);
      },
    );
  });
}

/** Older builds of ours (see staleImages); ones still in use are refused by the engine and kept. */
async function removeStaleImages(docker: Docker, repository: string, current: string): Promise<void> {
  const images = await docker.listImages({ filters: { label: [`${IMAGE_LABEL_KEY}=${repository}`] } });
  const stale = staleImages(images, current, Date.now());
  await Promise.all(stale.map((image) => docker.getImage(image.Id).remove().catch(() => undefined)));
}
