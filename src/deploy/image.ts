/**
 * The model-server image. No registry is reachable, so it is built offline FROM scratch out of the host's
 * node, the shared libraries it and ONNX Runtime link to, and the bundled server (see containers/Dockerfile
 * for the ordinary build on machines that can pull node:20). Tagged by a hash of its inputs, so it is
 * rebuilt exactly when the server, node or ONNX Runtime changes.
 */
import type Docker from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineAddress } from './docker/client.ts';
import { engineMessage, engineUnreachableFailure, isEngineUnreachable, statusCodeOf } from './docker/engine-errors.ts';
import { hashPlan, planContext, stageContext, type ContextSources } from './image/context.ts';
import { IMAGE_LABEL, LAYERS } from './image/dockerfile.ts';
import { staleImages } from './image/stale.ts';

export const IMAGE_REPOSITORY = 'tune-server';
export const LATEST_IMAGE = `${IMAGE_REPOSITORY}:latest`;

const DEFAULT_SOURCES: ContextSources = {
  serverEntry: fileURLToPath(new URL('../server/main.ts', import.meta.url)),
  nodeBinary: process.execPath,
};

export interface ImageFailure {
  kind: 'engine_unreachable' | 'build_failed';
  message: string;
}

export type ImageResult = { ok: true; tag: string; built: boolean } | { ok: false; failure: ImageFailure };

export interface ImageOptions {
  sources?: Partial<ContextSources>;
  /** Build progress lines from the engine. */
  log?: (line: string) => void;
}

/** Builds tune-server:<hash> (and moves :latest to it) unless it already exists. */
export async function ensureImage(docker: Docker, options: ImageOptions = {}): Promise<ImageResult> {
  let tag = '';
  try {
    const plan = await planContext({ ...DEFAULT_SOURCES, ...options.sources });
    tag = `${IMAGE_REPOSITORY}:${await hashPlan(plan)}`;
    const built = !(await imageExists(docker, tag));
    if (built) await buildFromPlan(docker, plan, tag, options.log);
    await docker.getImage(tag).tag({ repo: IMAGE_REPOSITORY, tag: 'latest' });
    if (built) await removeStaleImages(docker, tag);
    return { ok: true, tag, built };
  } catch (error) {
    if (isEngineUnreachable(error)) return { ok: false, failure: engineUnreachableFailure(engineAddress(docker)) };
    const message = `Building image ${tag || IMAGE_REPOSITORY} failed: ${engineMessage(error)}`;
    return { ok: false, failure: { kind: 'build_failed', message } };
  }
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

async function buildFromPlan(docker: Docker, plan: Awaited<ReturnType<typeof planContext>>, tag: string, log?: (line: string) => void) {
  const dir = await mkdtemp(join(tmpdir(), 'tune-image-'));
  try {
    await stageContext(plan, dir);
    const stream = await docker.buildImage(
      { context: dir, src: ['Dockerfile', ...LAYERS] },
      { t: tag, labels: { [IMAGE_LABEL.key]: IMAGE_LABEL.value }, rm: true, forcerm: true },
    );
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

/** Older builds of ours (see staleImages); ones still used by a container are refused by the engine and kept. */
async function removeStaleImages(docker: Docker, current: string): Promise<void> {
  const images = await docker.listImages({ filters: { label: [`${IMAGE_LABEL.key}=${IMAGE_LABEL.value}`] } });
  const stale = staleImages(images, current, Date.now());
  await Promise.all(stale.map((image) => docker.getImage(image.Id).remove().catch(() => undefined)));
}
