import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../src/decider/retry.js';
import { type TaskDef, withTaskDefDefaults } from '../../src/index.js';

const INT_MAX = 2_147_483_647;

/** Delays before retries 1..n, i.e. after failed attempts r = 0..n-1. */
function delays(def: Partial<TaskDef>, n: number): number[] {
  const resolved = withTaskDefDefaults({ name: 't', ...def });
  return Array.from({ length: n }, (_, r) => retryDelaySeconds(resolved, r));
}

describe('retryDelaySeconds', () => {
  it('FIXED: the same delay every time, 60 s by default', () => {
    expect(delays({}, 3)).toEqual([60, 60, 60]);
    expect(delays({ retryLogic: 'FIXED', retryDelaySeconds: 5 }, 4)).toEqual([5, 5, 5, 5]);
    expect(delays({ retryLogic: 'FIXED', retryDelaySeconds: 0 }, 2)).toEqual([0, 0]);
  });

  it('FIXED ignores backoffScaleFactor', () => {
    expect(delays({ retryLogic: 'FIXED', retryDelaySeconds: 5, backoffScaleFactor: 3 }, 2)).toEqual([5, 5]);
  });

  it('LINEAR_BACKOFF: delay × scale × (r + 1)', () => {
    expect(delays({ retryLogic: 'LINEAR_BACKOFF', retryDelaySeconds: 10 }, 4)).toEqual([10, 20, 30, 40]);
    expect(delays({ retryLogic: 'LINEAR_BACKOFF', retryDelaySeconds: 3, backoffScaleFactor: 2 }, 3)).toEqual([
      6, 12, 18,
    ]);
  });

  it('EXPONENTIAL_BACKOFF: delay × 2^r', () => {
    expect(delays({ retryLogic: 'EXPONENTIAL_BACKOFF', retryDelaySeconds: 1 }, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(delays({ retryLogic: 'EXPONENTIAL_BACKOFF', retryDelaySeconds: 5 }, 3)).toEqual([5, 10, 20]);
  });

  it('caps at maxRetryDelaySeconds (RetryPolicySpec: exponential base 2 cap 3 → 2 s then 3 s)', () => {
    expect(
      delays({ retryLogic: 'EXPONENTIAL_BACKOFF', retryDelaySeconds: 2, maxRetryDelaySeconds: 3 }, 3),
    ).toEqual([2, 3, 3]);
  });

  it('caps at maxRetryDelaySeconds (RetryPolicySpec: linear scale 2 base 2 cap 5 → 4 s then 5 s)', () => {
    expect(
      delays(
        {
          retryLogic: 'LINEAR_BACKOFF',
          retryDelaySeconds: 2,
          backoffScaleFactor: 2,
          maxRetryDelaySeconds: 5,
        },
        3,
      ),
    ).toEqual([4, 5, 5]);
  });

  it('caps a FIXED delay too, and a cap of 0 means none', () => {
    expect(delays({ retryLogic: 'FIXED', retryDelaySeconds: 60, maxRetryDelaySeconds: 10 }, 1)).toEqual([10]);
    expect(
      delays({ retryLogic: 'EXPONENTIAL_BACKOFF', retryDelaySeconds: 1, maxRetryDelaySeconds: 0 }, 11)[10],
    ).toBe(1024);
  });

  it("clamps an overflowing delay to Java's Integer.MAX_VALUE, before the cap", () => {
    const exp = withTaskDefDefaults({ name: 't', retryLogic: 'EXPONENTIAL_BACKOFF', retryDelaySeconds: 60 });
    expect(retryDelaySeconds(exp, 40)).toBe(INT_MAX);
    expect(retryDelaySeconds(exp, 2000)).toBe(INT_MAX); // 2^2000 is Infinity in a double
    const lin = withTaskDefDefaults({
      name: 't',
      retryLogic: 'LINEAR_BACKOFF',
      retryDelaySeconds: INT_MAX,
      backoffScaleFactor: 2,
    });
    expect(retryDelaySeconds(lin, 1)).toBe(INT_MAX);
    const capped = withTaskDefDefaults({ ...exp, maxRetryDelaySeconds: 600 });
    expect(retryDelaySeconds(capped, 2000)).toBe(600);
  });
});
