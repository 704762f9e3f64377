/**
 * Shared set-up of the deployment end-to-end tests: the real server image, the real gan model, a spec
 * builder with a study id of its own per test, and `docker exec` with captured output.
 */
import type Docker from 'dockerode';
import assert from 'node:assert/strict';
import type { DeploymentSpec } from '../src/deploy/backend.ts';
import { DockerBackend } from '../src/deploy/docker/backend.ts';
import { createDockerClient } from '../src/deploy/docker/client.ts';
import { demuxLogs } from '../src/deploy/docker/replica-failure.ts';
import { ensureImage } from '../src/deploy/image.ts';
import { ensureModel } from '../src/models/build.ts';

export interface DeployFixture {
  docker: Docker;
  backend: DockerBackend;
  image: string;
  ganDir: string;
}

export async function deployFixture(): Promise<DeployFixture> {
  const docker = createDockerClient();
  const image = await ensureImage(docker);
  assert.ok(image.ok, image.ok ? '' : image.failure.message);
  const ganDir = await ensureModel({ model: 'gan', precision: 'fp32' });
  return { docker, backend: new DockerBackend(docker, { image: image.tag }), image: image.tag, ganDir };
}

export function ganSpec(ganDir: string, studyId: string, overrides: Partial<DeploymentSpec> = {}): DeploymentSpec {
  return {
    studyId: `e2e-${process.pid}-${studyId}`,
    trialNumber: 1,
    modelName: 'gan',
    modelDir: ganDir,
    replicas: 1,
    cpus: 0.5,
    memoryMb: 256,
    server: {
      maxBatchSize: 4,
      batchTimeoutUs: 500,
      queueBound: 16,
      intraOpThreads: 1,
      interOpThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      precision: 'fp32',
    },
    readyTimeoutMs: 30_000,
    ...overrides,
  };
}

/** One SVHN-sized image (32×32×3) as a flat array. */
export const GAN_INSTANCE: number[] = Array.from({ length: 32 * 32 * 3 }, (_, i) => (i % 255) / 255);

/** Containers carrying our labels for one study, running or not. */
export async function studyContainers(docker: Docker, studyId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`tune.study=${studyId}`] } });
}

export async function execIn(docker: Docker, containerId: string, cmd: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, ...demuxLogs(Buffer.concat(chunks)) };
}
