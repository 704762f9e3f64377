/**
 * A Kubernetes Deployment and its ClusterIP Service, built with kubernetes-models and validated against the
 * Kubernetes API schemas before they are written. Each pod is one replica with the trial's CPU and memory as
 * both requests and limits, the server's environment from serverEnv() except that it binds the pod's IP, probes
 * on the server's readiness and liveness routes, and the backend's hardening as a securityContext.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { MODEL_MOUNT, serverEnv } from '../deploy/docker/container-config.ts';
import { ROUTES, SERVER_ENV } from '../server/protocol.ts';
import { exportLabels, headerLines, measuredLine, replicaSettings, yamlText, type ExportInput } from './shared.ts';

const ANNOTATION = 'tune-serving';
const PORT_NAME = 'http';
const MODEL_VOLUME = 'model';
const MIB = 1024 ** 2;

export interface KubernetesObjects {
  deployment: Deployment;
  service: Service;
}

/** A DNS-1123 label (names, label values): lower case, digits and '-', at most 63 characters. */
export function dnsLabel(text: string): string {
  const label = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return label === '' ? 'tune' : label;
}

/** A label value: letters, digits, '.', '_' and '-', alphanumeric at both ends, at most 63 characters. */
export function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** The tag of an image reference (registry:5000/tune-server:abc → abc), latest when it has none. */
function imageTag(image: string): string {
  const name = image.split('@')[0] ?? image;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
}

/** CPUs as a Kubernetes quantity in millicores ("750m"). */
export const cpuQuantity = (nanoCpus: number): string => `${Math.max(1, Math.round(nanoCpus / 1e6))}m`;

/** Bytes as a Kubernetes quantity: whole MiB where it is one ("1536Mi"). */
export const memoryQuantity = (bytes: number): string => (bytes % MIB === 0 ? `${bytes / MIB}Mi` : String(bytes));

export function kubernetesObjects(input: ExportInput): KubernetesObjects {
  const { spec } = input;
  const settings = replicaSettings(input, 0, input.port);
  const name = dnsLabel(`tune-${spec.modelName}`);
  const selector = { 'app.kubernetes.io/name': 'tune-server', 'app.kubernetes.io/instance': name };
  const labels = {
    ...selector,
    'app.kubernetes.io/component': 'model-server',
    'app.kubernetes.io/part-of': dnsLabel(spec.modelName),
    'app.kubernetes.io/version': labelValue(imageTag(input.image)),
    'app.kubernetes.io/managed-by': 'tune',
  };
  const [uid, gid] = settings.user.split(':').map(Number);
  const resources = { cpu: cpuQuantity(settings.nanoCpus), memory: memoryQuantity(settings.memoryBytes) };
  const env = Object.entries(serverEnv(spec, input.port)).map(([envName, value]) =>
    // Never 0.0.0.0: the pod's own IP, which the Service and the kubelet's probes reach.
    envName === SERVER_ENV.host ? { name: envName, valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } } : { name: envName, value },
  );
  const podAnnotations = Object.fromEntries(Object.entries(exportLabels(input)).map(([key, value]) => [`${ANNOTATION}/${key.replace(/^tune\.export\./, '')}`, value]));
  const annotations = {
    ...podAnnotations,
    [`${ANNOTATION}/measured`]: measuredLine(input.trial.metrics),
    [`${ANNOTATION}/model-volume`]: `hostPath ${spec.modelDir} holds the model on the node exported from: replace volume "${MODEL_VOLUME}" with your own (a PersistentVolumeClaim, an image volume) holding the same files`,
  };
  const deployment = new Deployment({
    metadata: { name, labels, annotations },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels, annotations: podAnnotations },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: gid, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'server',
              image: input.image,
              env,
              ports: [{ name: PORT_NAME, containerPort: input.port, protocol: 'TCP' }],
              resources: { requests: resources, limits: resources },
              readinessProbe: { httpGet: { path: ROUTES.ready, port: PORT_NAME }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
              livenessProbe: { httpGet: { path: ROUTES.live, port: PORT_NAME }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: uid,
                runAsGroup: gid,
                readOnlyRootFilesystem: settings.readOnlyRoot,
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: settings.capDrop },
              },
              volumeMounts: [
                ...settings.mounts.map((mount) => ({ name: MODEL_VOLUME, mountPath: mount.target, readOnly: mount.readOnly })),
                ...settings.tmpfs.map((mount, i) => ({ name: `tmp-${i}`, mountPath: mount.path })),
              ],
            },
          ],
          volumes: [
            ...settings.mounts.map((mount) => ({ name: MODEL_VOLUME, hostPath: { path: mount.source, type: 'Directory' as const } })),
            // In memory like the backend's tmpfs, and counted against the pod's memory limit as that is.
            ...settings.tmpfs.map((mount, i) => ({
              name: `tmp-${i}`,
              emptyDir: { medium: 'Memory', ...(mount.sizeBytes === undefined ? {} : { sizeLimit: memoryQuantity(mount.sizeBytes) }) },
            })),
          ],
        },
      },
    },
  });
  const service = new Service({
    metadata: { name, labels },
    spec: { type: 'ClusterIP', selector, ports: [{ name: PORT_NAME, port: input.port, targetPort: PORT_NAME, protocol: 'TCP' }] },
  });
  deployment.validate();
  service.validate();
  return { deployment, service };
}

export function kubernetesFile(input: ExportInput): string {
  const { deployment, service } = kubernetesObjects(input);
  const pids = replicaSettings(input, 0, input.port).pidsLimit;
  const header = [
    ...headerLines(input, 'kubernetes'),
    `apply: kubectl apply -f FILE; the Service ${service.metadata?.name}:${input.port} (ClusterIP) spreads requests over the ${input.spec.replicas} pod(s)`,
    `the model is a hostPath volume (${MODEL_MOUNT} in the pod): replace it with your own volume holding the same files unless every node has ${input.spec.modelDir}`,
    ...(pids === undefined ? [] : [`pids: the measured replicas had a limit of ${pids}, a kubelet setting (podPidsLimit) rather than a pod field`]),
  ];
  return `${yamlText(deployment.toJSON(), header)}---\n${yamlText(service.toJSON())}`;
}
