import { evaluateTemplate } from './evaluate.js';
import type { ExpressionScope } from './expression-scope.js';
import { ResolutionContext } from './resolution-context.js';
import { templateFor } from './template-cache.js';

/**
 * Resolves every `${...}` in a task's or workflow's parameter map (Conductor's ParametersUtils.replace).
 * Returns a new map; the input is never changed. Resolved values may share structure with the documents of
 * the scope (nothing is deep-copied), so callers treat both as immutable.
 */
export function resolveParameters(
  params: Record<string, unknown> | undefined | null,
  scope: ExpressionScope,
): Record<string, unknown> {
  if (params === null || params === undefined) return {};
  return resolveMap(params, new ResolutionContext(scope));
}

/** Resolves one value: a string, or a map or list walked recursively; other values are returned as is. */
export function resolveValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value !== 'object' && typeof value !== 'string') return value;
  return resolveAny(value, new ResolutionContext(scope));
}

function resolveAny(value: unknown, context: ResolutionContext): unknown {
  if (typeof value === 'string') return resolveString(value, context);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return resolveList(value, context);
  if (isPlainObject(value)) return resolveMap(value as Record<string, unknown>, context);
  return value;
}

function resolveString(text: string, context: ResolutionContext): unknown {
  // Most parameter strings are constants: skip the cache lookup for them.
  if (!text.includes('${')) return text;
  return evaluateTemplate(templateFor(text), context);
}

function resolveList(list: readonly unknown[], context: ResolutionContext): unknown[] {
  const out = new Array<unknown>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = resolveAny(list[i], context);
  return out;
}

function resolveMap(map: Record<string, unknown>, context: ResolutionContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(map)) {
    const value = resolveAny(map[key], context);
    if (key === '__proto__') defineOwn(out, key, value);
    else out[key] = value;
  }
  return out;
}

/** An own `__proto__` key (possible after JSON.parse) must stay data: assigning it would set the prototype. */
function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Maps are plain JSON objects; class instances (Date, Map, ...) are copied as leaves, like Java does. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
