import { JqRunner } from './jq-runner.js';

export { JqError } from './jq-error.js';
export { JqRunner, type JqRunnerOptions } from './jq-runner.js';

let defaultRunner: JqRunner | undefined;

/**
 * Runs a jq query (real jq 1.7.1, via jq-wasm) against `input` and resolves to all its outputs, in order.
 * JSON_JQ_TRANSFORM's output is `result` = the first value or null, `resultList` = all of them.
 * Rejects with a {@link JqError} carrying jq's message (e.g. `Cannot index string with string "array"`).
 *
 * Uses a process-wide {@link JqRunner} created on first use (its worker thread never keeps the process
 * alive); create your own `JqRunner` for a different timeout or to close it explicitly.
 */
export function jqQuery(query: string, input: unknown, options?: { timeoutMs?: number }): Promise<unknown[]> {
  defaultRunner ??= new JqRunner();
  return defaultRunner.query(query, input, options);
}
