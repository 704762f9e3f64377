import type { Dispatcher } from 'undici';
import { statusErrorKind, thrownErrorKind } from './error-kind.ts';
import type { LoadErrorKind } from './types.ts';

export type RequestOutcome = { ok: true } | { ok: false; kind: LoadErrorKind };

const TIMED_OUT = 'request timed out';

/**
 * One request's life as an undici dispatch handler: notes the status, discards the body, and reports a
 * single outcome when the response ends or fails. Its own deadline is exact, where undici's header and
 * body timeouts tick at about one second.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private status = 0;
  private controller: Dispatcher.DispatchController | undefined;
  private timedOut = false;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    timeoutMs: number,
    private readonly report: (outcome: RequestOutcome) => void,
  ) {
    this.deadline = setTimeout(() => {
      this.timedOut = true;
      this.controller?.abort(new Error(TIMED_OUT));
    }, timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.timedOut) controller.abort(new Error(TIMED_OUT));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode; // a 1xx is followed by the final status, which overwrites it
  }

  onResponseData(): void {} // the body is read and dropped

  onResponseEnd(): void {
    const kind = statusErrorKind(this.status);
    this.finish(kind === undefined ? { ok: true } : { ok: false, kind });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.finish({ ok: false, kind: this.timedOut ? 'timeout' : thrownErrorKind(error) });
  }

  private finish(outcome: RequestOutcome): void {
    clearTimeout(this.deadline);
    this.report(outcome);
  }
}
