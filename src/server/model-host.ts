/**
 * The slot the HTTP handler serves from. It exists before the model does, so liveness and metrics answer
 * while the model loads; it turns ready only once a warmed-up model is attached. While a live configuration
 * change reloads the sessions it is `reloading`: not ready, and predictions are refused until it is done.
 */
import type { ApiError, Outcome } from './api-error.ts';
import { ROUTES } from './protocol.ts';
import type { HostedModel } from './served-model.ts';

export type ModelPhase = 'loading' | 'ready' | 'reloading' | 'failed' | 'stopping';

export class ModelHost {
  private model: HostedModel | undefined;
  private currentPhase: ModelPhase = 'loading';
  private failure = '';

  constructor(readonly name: string) {}

  get phase(): ModelPhase {
    return this.currentPhase;
  }

  get failureMessage(): string {
    return this.failure;
  }

  /** Call after warm-up. A host already stopping stays stopping (its owner closes the model). */
  attach(model: HostedModel): void {
    if (this.currentPhase !== 'loading') return;
    this.model = model;
    this.currentPhase = 'ready';
  }

  markFailed(message: string): void {
    this.currentPhase = 'failed';
    this.failure = message;
  }

  /** Stops taking new predictions and waits for those already queued. */
  async drain(): Promise<void> {
    this.currentPhase = 'stopping';
    await this.model?.drain();
  }

  /** Why predictions cannot be served right now, or undefined when they can. */
  unavailable(): ApiError | undefined {
    return this.servingModel() === undefined ? this.notReady() : undefined;
  }

  /** queue_full while the serving model's queue has no room for one more instance. */
  full(): ApiError | undefined {
    return this.servingModel()?.full();
  }

  async predict(instances: unknown[]): Promise<Outcome<unknown[]>> {
    const model = this.servingModel();
    if (model === undefined) return { ok: false, error: this.notReady() };
    return model.predict(instances);
  }

  /** The model while it serves, for a live configuration change; undefined while it does not. */
  servingModel(): HostedModel | undefined {
    return this.currentPhase === 'ready' ? this.model : undefined;
  }

  /**
   * Runs `reload` with the host reloading: readiness answers 503 and predictions 503 `reloading` until it settles.
   * The phase turns at once, before anything is awaited, so no prediction slips in after the caller found the
   * model idle. A host that fails or starts stopping meanwhile stays so.
   */
  async whileReloading<T>(reload: (model: HostedModel) => Promise<T>): Promise<T> {
    const model = this.servingModel();
    if (model === undefined) throw new Error(`model ${this.name} is ${this.currentPhase}, not ready: it cannot reload`);
    this.currentPhase = 'reloading';
    try {
      return await reload(model);
    } finally {
      if (this.currentPhase === 'reloading') this.currentPhase = 'ready';
    }
  }

  private notReady(): ApiError {
    if (this.currentPhase === 'reloading') {
      return { code: 'reloading', message: `model ${this.name} is reloading its sessions with new options: retry once ${ROUTES.ready} answers 200` };
    }
    return { code: 'not_ready', message: `model ${this.name} is ${this.currentPhase}: wait for ${ROUTES.ready} to answer 200` };
  }
}
