/**
 * ONNX Runtime sessions opened with the configured threading and optimization knobs.
 */
import { InferenceSession } from 'onnxruntime-node';
import type { ServerConfig } from './config.ts';
import type { SESSION_KNOBS } from './protocol.ts';

export type SessionKnobs = Pick<ServerConfig, (typeof SESSION_KNOBS)[number]>;

export type OpenSession = (modelPath: string) => Promise<InferenceSession>;

/**
 * Thread counts are passed only when set: 0 leaves ONNX Runtime's default, which sizes its pool to the
 * host's cores and ignores a container's CPU quota (the deploy side should therefore set them). Spinning
 * is off because a thread busy-waiting for work burns the CPU quota that inference needs.
 */
export function sessionOptions(knobs: SessionKnobs): InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    executionMode: knobs.executionMode,
    graphOptimizationLevel: knobs.graphOptimizationLevel,
    ...(knobs.intraOpThreads > 0 ? { intraOpNumThreads: knobs.intraOpThreads } : {}),
    ...(knobs.interOpThreads > 0 ? { interOpNumThreads: knobs.interOpThreads } : {}),
    extra: {
      'session.intra_op.allow_spinning': '0',
      'session.inter_op.allow_spinning': '0',
    },
  };
}

export function sessionOpener(knobs: SessionKnobs): OpenSession {
  const options = sessionOptions(knobs);
  return (modelPath) => InferenceSession.create(modelPath, options);
}
