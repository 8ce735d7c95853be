import { expect } from 'vitest';
import { BatonError, type ErrorCode } from '../errors.js';

/** Runs `action` and returns what it threw (or rejected with); `undefined` when it succeeded. */
export async function failureOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Asserts that `action` fails with a {@link BatonError} of `code` (from any copy of the package). */
export async function expectBatonError(action: () => Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await failureOf(action);
  expect(error, `expected a BatonError with code ${code}, but nothing was thrown`).toBeDefined();
  expect(error).toBeInstanceOf(Error);
  expect((error as { code?: unknown }).code).toBe(code);
  expect(BatonError.is(error, code)).toBe(true);
}

/** A deep copy through JSON: what any store must give back for a value it was given. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
