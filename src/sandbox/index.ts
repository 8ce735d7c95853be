export { evaluateCondition } from './evaluate-condition.js';
export { JqError, JqRunner, type JqRunnerOptions, jqQuery } from './jq.js';
export { Sandbox, type SandboxOptions, type SandboxStats } from './sandbox.js';
export { ScriptError, type ScriptErrorKind } from './script-error.js';
