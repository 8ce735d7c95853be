import type { Accessor } from './accessor.js';

/** One step of a plain path, prepared once so the walk does no string work. */
interface Step {
  readonly key: string;
  /** The step as an array index (negative counts from the end, as Jayway's `[-1]`); NaN for a name. */
  readonly index: number;
  /** The key also names something on Object.prototype (`constructor`, `__proto__`): only own keys count. */
  readonly guarded: boolean;
}

const INTEGER = /^-?\d+$/;

function toStep(key: string): Step {
  return { key, index: INTEGER.test(key) ? Number(key) : Number.NaN, guarded: key in Object.prototype };
}

/**
 * Direct object walk for paths made only of names and integer indices (the common case): no jsonpath-plus,
 * no allocation. Mirrors Jayway on a definite path: anything missing or of the wrong shape reads as null,
 * and names never read array or string built-ins such as `length`.
 */
export function plainAccessor(segments: readonly string[]): Accessor {
  const steps = segments.map(toStep);
  return (root) => walk(root, steps);
}

function walk(root: unknown, steps: readonly Step[]): unknown {
  let current: unknown = root;
  for (let i = 0; i < steps.length; i++) {
    if (current === null || typeof current !== 'object') return null;
    current = Array.isArray(current) ? readIndex(current, steps[i]) : readKey(current, steps[i]);
    if (current === undefined) return null;
  }
  return current === undefined ? null : current;
}

function readIndex(list: readonly unknown[], step: Step): unknown {
  const index = step.index < 0 ? list.length + step.index : step.index;
  return Number.isInteger(index) && index >= 0 ? list[index] : undefined;
}

function readKey(object: object, step: Step): unknown {
  if (step.guarded && !Object.hasOwn(object, step.key)) return undefined;
  return (object as Record<string, unknown>)[step.key];
}
