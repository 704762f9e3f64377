/**
 * Puts the server image in a registry the cluster's nodes pull from: nodes cannot pull from the internet, and a
 * node other than the one that built the image has no copy of it.
 */
import type Docker from 'dockerode';
import { IMAGE_REPOSITORY } from '../image.ts';

export type PushResult = { ok: true; reference: string } | { ok: false; message: string };

/** HOST:PORT (or a hostname), without a scheme or a path: what an image reference starts with. */
export function registryProblem(registry: string): string | undefined {
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(registry) ? undefined : `registry "${registry}" is not HOST:PORT (e.g. 127.0.0.1:5000)`;
}

/** The reference nodes run for the image `tag` (tune-server:<hash>) in `registry`. */
export function registryReference(tag: string, registry: string): string {
  return `${registry}/${IMAGE_REPOSITORY}:${tag.split(':')[1] ?? 'latest'}`;
}

/** Tags the local image for the registry and pushes it; the engine's own error, on one line, when it fails. */
export async function pushImage(docker: Docker, tag: string, registry: string): Promise<PushResult> {
  const reference = registryReference(tag, registry);
  const [repo, version] = [reference.slice(0, reference.lastIndexOf(':')), reference.slice(reference.lastIndexOf(':') + 1)];
  try {
    await docker.getImage(tag).tag({ repo, tag: version });
    // The engine insists on an auth header even for a registry that takes none: an empty one.
    const stream = await docker.getImage(reference).push({ authconfig: { serveraddress: registry } });
    const events = await new Promise<{ error?: string; errorDetail?: { message?: string } }[]>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, output: unknown[]) => (error ? reject(error) : resolve(output as never))),
    );
    const failed = events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
    if (failed) return await untagged(docker, reference, `pushing ${reference} failed: ${failed.errorDetail?.message ?? failed.error}`);
    return { ok: true, reference };
  } catch (error) {
    return untagged(docker, reference, `pushing ${reference} failed: ${String((error as Error).message ?? error).split('\n')[0]}`);
  }
}

/** A push that failed leaves no registry tag behind on the engine (the image itself stays). */
async function untagged(docker: Docker, reference: string, message: string): Promise<PushResult> {
  await docker.getImage(reference).remove({ noprune: true }).catch(() => undefined);
  return { ok: false, message };
}
