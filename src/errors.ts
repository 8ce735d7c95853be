/** Stable codes carried by every {@link BatonError}. */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VERSION_CONFLICT'
  | 'TIMEOUT'
  | 'ENGINE_STOPPED'
  | 'ADAPTER';

const BRAND = Symbol.for('baton-engine.BatonError');

/** Base class of every error the Baton API throws; match on `code`, not on the message. */
export class BatonError extends Error {
  override name = 'BatonError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for any BatonError, even one from another copy of the package; optionally of one `code`. */
  static is(value: unknown, code?: ErrorCode): value is BatonError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true &&
      (code === undefined || (value as BatonError).code === code)
    );
  }
}

/** One problem found in an input, at a JSON path such as `tasks[1].forkTasks[0][2].name`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** An input (definition, request, task result) is malformed; `issues` names every field at fault. */
export class ValidationError extends BatonError {
  override name = 'ValidationError';
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], subject = 'input') {
    const first = issues[0];
    const where = first ? `${first.path === '' ? '(root)' : first.path}: ${first.message}` : 'invalid';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super('VALIDATION', `Invalid ${subject}: ${where}${more}`);
    this.issues = issues;
  }
}

/** An id, definition or task that does not exist. */
export class NotFoundError extends BatonError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** The current state does not allow the operation (or the thing already exists). */
export class ConflictError extends BatonError {
  override name = 'ConflictError';
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/**
 * A store commit lost an optimistic-concurrency race: the workflow changed since it was read. The engine
 * retries the decide on fresh state; adapters throw it from `commit`.
 */
export class VersionConflictError extends BatonError {
  override name = 'VersionConflictError';
  constructor(workflowId: string, expected: number) {
    super('VERSION_CONFLICT', `Workflow ${workflowId} changed since version ${expected} was read`);
  }
}

/**
 * Thrown by a worker handler to fail its task with FAILED_WITH_TERMINAL_ERROR: no retry. User code throws it;
 * it is not a BatonError.
 */
export class TerminalError extends Error {
  override name = 'TerminalError';
}

/**
 * A start was refused because a workflow of the same name already holds its idempotency key (DESIGN.md 2a).
 * Stores throw it from `commit`; the engine answers RETURN_EXISTING with `existingWorkflowId` and passes it on
 * otherwise. It is a {@link ConflictError} (code `CONFLICT`).
 */
export class IdempotencyConflictError extends ConflictError {
  override name = 'IdempotencyConflictError';
  constructor(
    readonly workflowName: string,
    readonly idempotencyKey: string,
    /** The workflow holding the key. */
    readonly existingWorkflowId: string,
  ) {
    super(
      `Workflow ${workflowName} with idempotency key ${idempotencyKey} exists already: ${existingWorkflowId}`,
    );
  }
}
