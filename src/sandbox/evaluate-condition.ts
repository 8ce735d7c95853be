import type { Sandbox } from './sandbox.js';

/**
 * Conductor's `ScriptEvaluator.evalBool`, used by DO_WHILE `loopCondition` (and event-handler conditions):
 * `true`, or a number greater than 0, counts as true; every other result (strings included) as false.
 * Script failures reject with the sandbox's ScriptError.
 */
export async function evaluateCondition(
  sandbox: Sandbox,
  script: string,
  input: Record<string, unknown>,
): Promise<boolean> {
  const result = await sandbox.evaluate(script, input);
  return result === true || (typeof result === 'number' && result > 0);
}
