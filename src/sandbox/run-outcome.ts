import { RUN_PROTOCOL } from './realm-source.js';
import { ScriptError } from './script-error.js';

/** Decodes the string `__batonRun` returned (format in `RUN_PROTOCOL`): the result, or throws. */
export function decodeRunOutcome(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new ScriptError('runtime', 'The sandbox returned an unexpected value');
  }
  const payload = raw.slice(1);
  switch (raw[0]) {
    case RUN_PROTOCOL.json:
      return JSON.parse(payload);
    case RUN_PROTOCOL.output:
      throw new ScriptError('output', payload);
    default:
      throw thrownError(payload);
  }
}

/** The error for a value the script threw, already described as `Name: message` inside the isolate. */
function thrownError(description: string): ScriptError {
  // isolated-vm's ArrayBuffer allocator refuses allocations past the limit instead of disposing the isolate.
  if (description.startsWith('RangeError: Array buffer allocation failed')) {
    return new ScriptError('memory', `${description} (the sandbox memory limit was reached)`);
  }
  return new ScriptError('runtime', description);
}

/** Limits that make host-side messages specific. */
export interface RunLimits {
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
}

/**
 * Maps an error isolated-vm raised on the host side (the run never reached `__batonRun`'s own reporting)
 * to a ScriptError: a timeout, a heap exhausted (the isolate is then disposed), or the sandbox closing.
 */
export function classifyHostError(error: unknown, limits: RunLimits): ScriptError {
  const message = error instanceof Error ? error.message : String(error);
  if (/timed out/i.test(message)) {
    return new ScriptError('timeout', `Script execution timed out after ${limits.timeoutMs} ms`, {
      cause: error,
    });
  }
  if (/memory limit/i.test(message)) {
    return new ScriptError(
      'memory',
      `Script exceeded the sandbox memory limit of ${limits.memoryLimitMb} MB`,
      {
        cause: error,
      },
    );
  }
  if (/disposed/i.test(message)) {
    return new ScriptError('runtime', 'The sandbox was closed while the script was running', {
      cause: error,
    });
  }
  const name = error instanceof Error ? error.name : 'Error';
  return new ScriptError('runtime', `${name}: ${message}`, { cause: error });
}

/** The error for a source that does not compile; isolated-vm puts the position in the message. */
export function compileError(error: unknown, limits: RunLimits): ScriptError {
  if (error instanceof Error && error.name === 'SyntaxError') {
    return new ScriptError('syntax', `SyntaxError: ${error.message}`, { cause: error });
  }
  return classifyHostError(error, limits);
}
