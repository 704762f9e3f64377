/**
 * Ctrl-C and SIGTERM during a study: the first one aborts the loop, which tears the current trial down and
 * records it as interrupted; a second one exits at once for a user who cannot wait for the teardown.
 */
export interface SignalScope {
  signal: AbortSignal;
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function abortOnSignals(say: (line: string) => void): SignalScope {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      say(`${name} again: exiting without cleanup; remove leftover containers with: tune reap`);
      process.exit(1);
    }
    say(`${name}: stopping the current trial and removing its containers (press Ctrl-C again to exit at once)`);
    controller.abort();
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => SIGNALS.forEach((name) => process.off(name, onSignal)),
  };
}
