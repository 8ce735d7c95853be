import { ValidationError, type ValidationIssue } from '../../errors.js';

/**
 * Shared plumbing of the validators: a collector of `{ path, message }` issues, path building, and the
 * field checks every validator repeats. Validators record every problem and throw once at the end, so a
 * caller sees all of them in one ValidationError.
 *
 * Absent means `undefined` or `null`: Conductor's JSON writes `null` for an unset field, so an optional
 * field accepts both.
 */

/** `tasks` + 1 → `tasks[1]`; `tasks[1]` + `name` → `tasks[1].name`; the root is `''`. */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Records issues in the order they are found; `throwIfAny` ends a validation. */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  get isEmpty(): boolean {
    return this.issues.length === 0;
  }

  throwIfAny(subject: string): void {
    if (!this.isEmpty) throw new ValidationError(this.issues, subject);
  }
}

/**
 * Runs a validation and guarantees that only a ValidationError escapes: a hostile input (a throwing getter,
 * a structure deep enough to exhaust the stack) becomes an issue at the root instead of a crash.
 */
export function runValidation<T>(subject: string, validate: (issues: IssueCollector) => T): T {
  const issues = new IssueCollector();
  try {
    const result = validate(issues);
    issues.throwIfAny(subject);
    return result;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    issues.add('', `could not be validated: ${reason}`);
    throw new ValidationError(issues.issues, subject);
  }
}

/** A JSON object (not an array). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** A required non-empty string. */
export function checkRequiredString(issues: IssueCollector, path: string, value: unknown): value is string {
  if (isAbsent(value) || value === '') {
    issues.add(path, 'is required');
    return false;
  }
  return checkOptionalString(issues, path, value);
}

export function checkOptionalString(issues: IssueCollector, path: string, value: unknown): boolean {
  if (isAbsent(value) || typeof value === 'string') return true;
  issues.add(path, 'must be a string');
  return false;
}

export function checkOptionalBoolean(issues: IssueCollector, path: string, value: unknown): boolean {
  if (isAbsent(value) || typeof value === 'boolean') return true;
  issues.add(path, 'must be a boolean');
  return false;
}

export function checkOptionalMap(issues: IssueCollector, path: string, value: unknown): boolean {
  if (isAbsent(value) || isMap(value)) return true;
  issues.add(path, 'must be a map');
  return false;
}

export function checkOptionalEnum(
  issues: IssueCollector,
  path: string,
  value: unknown,
  allowed: readonly string[],
): boolean {
  if (isAbsent(value) || (typeof value === 'string' && allowed.includes(value))) return true;
  issues.add(path, `must be one of ${allowed.join(', ')}`);
  return false;
}

export interface NumberRule {
  /** Conductor declares the field int, long or Integer. */
  integer?: boolean;
  min?: number;
  max?: number;
}

/** An optional number within the rule's bounds; a wrong JSON type (`"3"`) is reported as such. */
export function checkOptionalNumber(
  issues: IssueCollector,
  path: string,
  value: unknown,
  rule: NumberRule = {},
): boolean {
  if (isAbsent(value)) return true;
  const message = numberProblem(value, rule);
  if (message !== null) issues.add(path, message);
  return message === null;
}

function numberProblem(value: unknown, { integer, min, max }: NumberRule): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  if (integer && !Number.isInteger(value)) return 'must be an integer';
  if (min !== undefined && value < min) return min === 0 ? 'must not be negative' : `must be >= ${min}`;
  if (max !== undefined && value > max) return `must be <= ${max}`;
  return null;
}

/** An optional array whose elements are all strings; each bad element is reported at its index. */
export function checkOptionalStringArray(issues: IssueCollector, path: string, value: unknown): boolean {
  if (isAbsent(value)) return true;
  if (!Array.isArray(value)) {
    issues.add(path, 'must be an array of strings');
    return false;
  }
  let valid = true;
  value.forEach((element, i) => {
    if (typeof element !== 'string') {
      issues.add(childPath(path, i), 'must be a string');
      valid = false;
    }
  });
  return valid;
}

/** An optional map whose values are all strings (such as `taskToDomain`). */
export function checkOptionalStringMap(issues: IssueCollector, path: string, value: unknown): boolean {
  if (isAbsent(value)) return true;
  if (!isMap(value)) {
    issues.add(path, 'must be a map of strings');
    return false;
  }
  let valid = true;
  for (const [key, element] of Object.entries(value)) {
    if (typeof element !== 'string') {
      issues.add(childPath(path, key), 'must be a string');
      valid = false;
    }
  }
  return valid;
}
