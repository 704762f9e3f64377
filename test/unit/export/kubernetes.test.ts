/** No cluster runs here: the objects are checked against the Kubernetes API schemas (kubernetes-models) and read back. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { serverEnv } from '../../../src/deploy/docker/container-config.ts';
import { cpuQuantity, dnsLabel, kubernetesFile, kubernetesObjects, memoryQuantity } from '../../../src/export/kubernetes.ts';
import { ROUTES, SERVER_ENV } from '../../../src/server/protocol.ts';
import { exportInput, MODEL_DIR } from './fixture.ts';

const input = exportInput({ port: 8601 });
const text = kubernetesFile(input);
const documents = parseAllDocuments(text).map((document) => document.toJS() as Record<string, unknown>);
const deployment = new Deployment(documents[0] as never);
const service = new Service(documents[1] as never);
const pod = deployment.spec!.template.spec!;
const container = pod.containers[0]!;

describe('kubernetes export', () => {
  test('a Deployment and a Service, both valid against the Kubernetes schemas as read back from the YAML', () => {
    assert.equal(documents.length, 2);
    assert.equal(documents[0]!.kind, 'Deployment');
    assert.equal(documents[1]!.kind, 'Service');
    deployment.validate();
    service.validate();
  });

  test('validation is real: a malformed object is refused', () => {
    const broken = new Deployment({ ...(documents[0] as object), spec: { ...(documents[0]!.spec as object), replicas: 'three' } } as never);
    assert.throws(() => broken.validate(), /replicas/);
  });

  test('replicas, and the trial’s CPU and memory as both requests and limits', () => {
    assert.equal(deployment.spec!.replicas, 3);
    assert.deepEqual(container.resources, { requests: { cpu: '750m', memory: '1536Mi' }, limits: { cpu: '750m', memory: '1536Mi' } });
  });

  test('env is serverEnv() with TUNE_HOST from the pod IP, never 0.0.0.0, and a fixed container port', () => {
    const expected = serverEnv(input.spec, 8601);
    assert.deepEqual(container.env!.map((entry) => entry.name), Object.keys(expected));
    for (const entry of container.env!) {
      if (entry.name === SERVER_ENV.host) assert.deepEqual(entry.valueFrom, { fieldRef: { fieldPath: 'status.podIP' } });
      else assert.equal(entry.value, expected[entry.name]);
    }
    assert.ok(!text.includes('0.0.0.0'));
    assert.deepEqual(container.ports, [{ name: 'http', containerPort: 8601, protocol: 'TCP' }]);
  });

  test('readiness and liveness probes on the server’s routes', () => {
    assert.deepEqual(container.readinessProbe!.httpGet, { path: ROUTES.ready, port: 'http' });
    assert.deepEqual(container.livenessProbe!.httpGet, { path: ROUTES.live, port: 'http' });
  });

  test('securityContext: non-root 10001, read-only root, no privilege escalation, every capability dropped', () => {
    assert.deepEqual(container.securityContext, {
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    assert.equal(pod.securityContext!.runAsNonRoot, true);
    assert.equal(pod.automountServiceAccountToken, false);
  });

  test('the model as a read-only hostPath volume with a note to replace it, /tmp an in-memory emptyDir', () => {
    assert.deepEqual(container.volumeMounts, [
      { name: 'model', mountPath: '/models', readOnly: true },
      { name: 'tmp-0', mountPath: '/tmp' },
    ]);
    assert.deepEqual(pod.volumes, [
      { name: 'model', hostPath: { path: MODEL_DIR, type: 'Directory' } },
      { name: 'tmp-0', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ]);
    assert.match(deployment.metadata!.annotations!['tune-serving/model-volume']!, /replace volume "model" with your own/);
  });

  test('recommended labels, a selector the pods match, and a ClusterIP Service on the port', () => {
    const labels = deployment.metadata!.labels!;
    assert.equal(labels['app.kubernetes.io/name'], 'tune-server');
    assert.equal(labels['app.kubernetes.io/instance'], 'tune-gan');
    assert.equal(labels['app.kubernetes.io/version'], '0123abcd4567');
    for (const [key, value] of Object.entries(deployment.spec!.selector.matchLabels!)) assert.equal(deployment.spec!.template.metadata!.labels![key], value);
    assert.equal(service.spec!.type, 'ClusterIP');
    assert.deepEqual(service.spec!.selector, deployment.spec!.selector.matchLabels);
    assert.deepEqual(service.spec!.ports, [{ name: 'http', port: 8601, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('the header names the study, trial, measurements and image, and says the cluster needs the image pushed', () => {
    assert.match(text, /^# tune export --format kubernetes: study gan-bo-c16-b20-s1, trial 4/);
    assert.match(text, /# measured: mean 12\.5 ms, p99 31\.3 ms, throughput 80 req\/s/);
    assert.match(text, /# image: tune-server:0123abcd4567: .*pushed to its registry/);
  });

  test('quantities and names in Kubernetes’ forms', () => {
    assert.equal(cpuQuantity(500_000_000), '500m');
    assert.equal(cpuQuantity(2e9), '2000m');
    assert.equal(memoryQuantity(1536 * 1024 * 1024), '1536Mi');
    assert.equal(memoryQuantity(1000), '1000');
    assert.equal(dnsLabel('tune-My_Model.v2'), 'tune-my-model-v2');
    assert.equal(dnsLabel('x'.repeat(80)).length, 63);
  });

  test('every generated configuration of the gan space validates', () => {
    const configurations: Record<string, string | number>[] = [
      { replicas: 1, cpus: 0.25, memory_mb: 256, precision: 'fp32' },
      { replicas: 2, cpus: 1.5, memory_mb: 4096, max_batch_size: 64, batch_timeout_us: 0, execution_mode: 'sequential', graph_optimization_level: 'disabled', precision: 'fp32' },
    ];
    for (const params of configurations) {
      const objects = kubernetesObjects(exportInput({ params, image: 'registry.example.com:5000/team/tune-server:abc' }));
      assert.equal(objects.deployment.metadata!.labels!['app.kubernetes.io/version'], 'abc');
    }
  });
});
