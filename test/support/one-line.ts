/**
 * Moved to support/one-line.ts. Kept only for test/unit/fuzz/cli.test.ts, which still imports this path;
 * delete once it imports ../../../support/one-line.ts.
 */
export * from '../../support/one-line.ts';
