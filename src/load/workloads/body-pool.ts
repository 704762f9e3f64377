/** One request body from its instances' JSON texts: V1's {"instances": [...]} unless a protocol frames them otherwise. */
export type BodyFrame = (instancesJson: readonly string[]) => string;

export const v1Frame: BodyFrame = (instancesJson) => `{"instances":[${instancesJson.join(',')}]}`;

/**
 * Request bodies made ahead of time and handed out in turn, so building JSON (1 MB+ for a ResNet image)
 * never slows the load generator. Each body carries `perRequest` instances, taken round the pool.
 */
export function bodyCycle(instancesJson: readonly string[], perRequest: number, maxBodies: number, frame: BodyFrame = v1Frame): () => string {
  const count = Math.max(1, Math.min(maxBodies, instancesJson.length));
  const bodies = Array.from({ length: count }, (_, body) => {
    const instances = Array.from(
      { length: perRequest },
      (_, slot) => instancesJson[(body * perRequest + slot) % instancesJson.length],
    );
    return frame(instances as string[]);
  });
  let next = 0;
  return () => {
    const body = bodies[next] ?? '';
    next = (next + 1) % bodies.length;
    return body;
  };
}

/** How many bodies to keep: up to `preferred`, but no more than about `budgetBytes` in all. */
export function poolSizeFor(bytesPerBody: number, preferred: number, budgetBytes = 64 * 1024 * 1024): number {
  return Math.max(2, Math.min(preferred, Math.floor(budgetBytes / Math.max(1, bytesPerBody))));
}
