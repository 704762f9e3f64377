/**
 * What every user-facing error must look like: one line, no stack trace. Shared by the fuzz and fault tests
 * so they all hold errors to the same rule.
 */
import assert from 'node:assert/strict';

const STACK_FRAME = /^\s+at\s/m;

/** Fails when `text` spans several lines or carries a stack frame ("    at f (file:1:2)"). */
export function assertOneLine(text: string, what: string): void {
  assert.ok(!/[\r\n]/.test(text), `${what} spans several lines: ${JSON.stringify(text.slice(0, 300))}`);
  assert.ok(!STACK_FRAME.test(text), `${what} carries a stack trace: ${JSON.stringify(text.slice(0, 300))}`);
  assert.ok(text.trim().length > 0, `${what} is empty`);
}

/** Non-empty lines of a captured stream. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
