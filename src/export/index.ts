/** `tune export`'s generators: a trial's serving configuration as a file for Compose, Swarm or Kubernetes. */
import { composeFile } from './compose.ts';
import { kubernetesFile } from './kubernetes.ts';
import type { ExportFormat, ExportInput } from './shared.ts';
import { swarmFile } from './swarm.ts';

export { EXPORT_FORMATS, DEFAULT_EXPORT_PORT, bindProblem, chooseTrial, portProblem, type ExportFormat, type ExportInput, type TrialChoice, type TrialChosen } from './shared.ts';

const GENERATORS: Record<ExportFormat, (input: ExportInput) => string> = {
  compose: composeFile,
  swarm: swarmFile,
  kubernetes: kubernetesFile,
};

/** The file's text, opened by comment lines naming the study, trial, measurements and image. */
export function exportFile(format: ExportFormat, input: ExportInput): string {
  return GENERATORS[format](input);
}
