/**
 * Why a sandboxed script failed:
 * - `syntax`: the source does not parse (message names the position, e.g. `[script:1:4]`);
 * - `runtime`: the script threw (message is `Name: message`, as GraalJS reports it), or the sandbox was closed;
 * - `timeout`: it ran past its wall-clock budget;
 * - `memory`: it exhausted the isolate's heap (the isolate is replaced) or an allocation was refused;
 * - `output`: its result is not JSON data (a function, a symbol, a BigInt, a cycle, or a `toJSON` that threw).
 */
export type ScriptErrorKind = 'syntax' | 'runtime' | 'timeout' | 'memory' | 'output';

/**
 * Every failure of {@link Sandbox.evaluate}. Task types map it to Conductor's outcome (INLINE:
 * FAILED_WITH_TERMINAL_ERROR with `message` as `reasonForIncompletion`; LAMBDA and SWITCH: FAILED).
 */
export class ScriptError extends Error {
  override name = 'ScriptError';
  readonly kind: ScriptErrorKind;

  constructor(kind: ScriptErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}
