import { BatonError } from '../errors.js';
import type { StartWorkflowRequest } from '../model/start-request.js';
import type { IdempotencyStrategy } from '../model/workflow-def.js';
import type { IdempotencyClaim } from '../store/store.js';

/**
 * The strategy when a request gives an `idempotencyKey` but no `idempotencyStrategy`: FAIL, the strictest
 * (Conductor's request leaves it null and Orkes Conductor treats null as FAIL).
 */
export const DEFAULT_IDEMPOTENCY_STRATEGY: IdempotencyStrategy = 'FAIL';

/**
 * The claim a start makes on its key (DESIGN.md 2a; keys are scoped per workflow name): FAIL and
 * RETURN_EXISTING clash with any workflow holding the key, FAIL_ON_RUNNING only with one RUNNING or PAUSED.
 * Undefined without a key. The store checks the claim atomically with the create, so concurrent starts of one
 * key create exactly one workflow.
 */
export function idempotencyClaim(request: StartWorkflowRequest): IdempotencyClaim | undefined {
  if (request.idempotencyKey === null || request.idempotencyKey === undefined) return undefined;
  const strategy = request.idempotencyStrategy ?? DEFAULT_IDEMPOTENCY_STRATEGY;
  return { conflictsWith: strategy === 'FAIL_ON_RUNNING' ? 'active' : 'any' };
}

/**
 * What a start answers when its create failed with `error`: the holder's id for a RETURN_EXISTING clash, else
 * null (the error stands: an idempotency clash is a ConflictError).
 */
export function existingWorkflowOnClash(error: unknown, request: StartWorkflowRequest): string | null {
  if (request.idempotencyStrategy !== 'RETURN_EXISTING' || !BatonError.is(error, 'CONFLICT')) return null;
  const existing = (error as { existingWorkflowId?: unknown }).existingWorkflowId;
  return typeof existing === 'string' ? existing : null;
}
