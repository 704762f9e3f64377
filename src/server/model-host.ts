/**
 * The slot the HTTP handler serves from. It exists before the model does, so liveness and metrics answer
 * while the model loads; it turns ready only once a warmed-up model is attached.
 */
import type { ApiError, Outcome } from './api-error.ts';
import { ROUTES } from './protocol.ts';
import type { Predictor } from './served-model.ts';

export type ModelPhase = 'loading' | 'ready' | 'failed' | 'stopping';

export class ModelHost {
  private predictor: Predictor | undefined;
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
  attach(predictor: Predictor): void {
    if (this.currentPhase !== 'loading') return;
    this.predictor = predictor;
    this.currentPhase = 'ready';
  }

  markFailed(message: string): void {
    this.currentPhase = 'failed';
    this.failure = message;
  }

  /** Stops taking new predictions and waits for those already queued. */
  async drain(): Promise<void> {
    this.currentPhase = 'stopping';
    await this.predictor?.drain();
  }

  /** Why predictions cannot be served right now, or undefined when they can. */
  unavailable(): ApiError | undefined {
    return this.servingPredictor() === undefined ? this.notReady() : undefined;
  }

  /** queue_full while the serving model's queue has no room for one more instance. */
  full(): ApiError | undefined {
    return this.servingPredictor()?.full();
  }

  async predict(instances: unknown[]): Promise<Outcome<unknown[]>> {
    const predictor = this.servingPredictor();
    if (predictor === undefined) return { ok: false, error: this.notReady() };
    return predictor.predict(instances);
  }

  private servingPredictor(): Predictor | undefined {
    return this.currentPhase === 'ready' ? this.predictor : undefined;
  }

  private notReady(): ApiError {
    return { code: 'not_ready', message: `model ${this.name} is ${this.currentPhase}: wait for ${ROUTES.ready} to answer 200` };
  }
}
