import type { ResolvedTaskDef } from '../model/task-def.js';

const INT_MAX = 2_147_483_647;

/**
 * Seconds before retry number `retryCount + 1` of a task whose attempt `retryCount` (0 for the first) failed,
 * with Conductor's formulas: FIXED `d`, LINEAR_BACKOFF `d × scale × (r + 1)`, EXPONENTIAL_BACKOFF `d × 2^r`,
 * clamped to Java's int range as Conductor's arithmetic is, then capped by `maxRetryDelaySeconds` when > 0.
 */
export function retryDelaySeconds(def: ResolvedTaskDef, retryCount: number): number {
  const base = def.retryDelaySeconds;
  let delay: number;
  switch (def.retryLogic) {
    case 'LINEAR_BACKOFF':
      delay = base * def.backoffScaleFactor * (retryCount + 1);
      break;
    case 'EXPONENTIAL_BACKOFF':
      delay = base * 2 ** retryCount;
      break;
    default:
      delay = base;
  }
  delay = Math.min(delay, INT_MAX);
  if (def.maxRetryDelaySeconds > 0) delay = Math.min(delay, def.maxRetryDelaySeconds);
  return delay;
}
