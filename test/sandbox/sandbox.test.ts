import { afterAll, describe, expect, it } from 'vitest';
import { evaluateCondition, Sandbox, ScriptError } from '../../src/sandbox/index.js';

// One pool for most tests: isolates are costly (~40 ms each to create and harden), so the suite makes few.
const sandbox = new Sandbox({ poolSize: 2, timeoutMs: 1000 });
afterAll(() => sandbox.close());

/** The ScriptError a rejected evaluation carries (fails the test if it resolved). */
async function failure(promise: Promise<unknown>): Promise<ScriptError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a ScriptError, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ScriptError);
  return error as ScriptError;
}

describe('Sandbox: Conductor script forms', () => {
  it('evaluates a `$` expression', async () => {
    expect(await sandbox.evaluate('$.a + 1', { a: 41 })).toBe(42);
  });

  it('returns the value of the last expression statement (GraalJS eval semantics)', async () => {
    expect(await sandbox.evaluate('function e() { return $.a + 1 } e();', { a: 1 })).toBe(2);
    expect(await sandbox.evaluate('var x = $.a; if (x > 1) { "big" } else { "small" }', { a: 5 })).toBe(
      'big',
    );
  });

  it('evaluates DO_WHILE-style conditions with bracket access', async () => {
    const input = { loopTask: { iteration: 1 }, value: 2 };
    expect(await sandbox.evaluate("$.loopTask['iteration'] < $.value", input)).toBe(true);
  });

  it('supports ES2015+ syntax', async () => {
    const script = `
      class Box { constructor(v) { this.v = v; } get double() { return this.v * 2; } }
      const { items, ...rest } = $;
      const doubled = items.map((n) => new Box(n).double);
      ({ doubled, rest, label: \`n=\${doubled.length}\`, max: Math.max(...doubled) });
    `;
    expect(await sandbox.evaluate(script, { items: [1, 2], other: true })).toEqual({
      doubled: [2, 4],
      rest: { other: true },
      label: 'n=2',
      max: 4,
    });
  });

  it('has JSON and Math', async () => {
    expect(
      await sandbox.evaluate('JSON.parse(JSON.stringify($)).list.length + Math.floor(2.7)', { list: [1] }),
    ).toBe(3);
  });

  it('supports the LAMBDA wrapper form with a returned object', async () => {
    const script =
      'function scriptFun(){ if ($.value == 1) { return { result: true } } return { result: false } } scriptFun();';
    expect(await sandbox.evaluate(script, { value: 1 })).toEqual({ result: true });
  });

  it('lets scripts create implicit globals and declare functions within one evaluation', async () => {
    const script = 'total = 0; for (i = 0; i < $.list.length; i++) total += $.list[i]; total';
    expect(await sandbox.evaluate(script, { list: [1, 2, 3] })).toBe(6);
  });
});

describe('Sandbox: results are copied out as JSON', () => {
  it('maps undefined to null and follows JSON.stringify inside objects', async () => {
    expect(await sandbox.evaluate('undefined', {})).toBeNull();
    expect(await sandbox.evaluate('({ d: new Date(0), f() {}, u: undefined, n: NaN })', {})).toEqual({
      d: '1970-01-01T00:00:00.000Z',
      n: null,
    });
  });

  it('fails with kind output for a function, a symbol or a BigInt result', async () => {
    for (const script of ['(function () {})', 'Symbol("s")', '({ big: 10n })']) {
      const error = await failure(sandbox.evaluate(script, {}));
      expect(error.kind).toBe('output');
    }
  });

  it('gives the script a copy of the input: changes to `$` stay inside the sandbox', async () => {
    const input = { a: { b: 1 } };
    expect(await sandbox.evaluate('$.a.b = 2; $.a.b', input)).toBe(2);
    expect(input.a.b).toBe(1);
  });
});

describe('Sandbox: failures', () => {
  it('reports syntax errors with kind syntax and the parser message', async () => {
    const error = await failure(sandbox.evaluate('1 +* 2', {}));
    expect(error.kind).toBe('syntax');
    expect(error.message).toMatch(/^SyntaxError: Unexpected token '\*'/);
  });

  it('reports thrown errors as `Name: message`', async () => {
    const error = await failure(sandbox.evaluate('throw new TypeError("bad input")', {}));
    expect(error.kind).toBe('runtime');
    expect(error.message).toBe('TypeError: bad input');
    expect((await failure(sandbox.evaluate('null.x', {}))).message).toMatch(
      /^TypeError: Cannot read properties of null/,
    );
    expect((await failure(sandbox.evaluate('JSON.parse("{")', {}))).kind).toBe('runtime');
  });

  it('times out a script that loops forever while the event loop stays responsive', async () => {
    const started = performance.now();
    let timerFiredAt = 0;
    const timer = setTimeout(() => {
      timerFiredAt = performance.now() - started;
    }, 50);
    const error = await failure(sandbox.evaluate('while (true) {}', {}, { timeoutMs: 300 }));
    const elapsed = performance.now() - started;
    clearTimeout(timer);
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('Script execution timed out after 300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
    // The timer fired while the script was still spinning on the isolate's thread.
    expect(timerFiredAt).toBeGreaterThan(0);
    expect(timerFiredAt).toBeLessThan(250);
    expect(await sandbox.evaluate('$.ok', { ok: 'still works' })).toBe('still works');
  });

  it('times out an endless chain of promise jobs too', async () => {
    const script = 'Promise.resolve().then(function again() { return Promise.resolve().then(again); }); 1';
    expect((await failure(sandbox.evaluate(script, {}, { timeoutMs: 200 }))).kind).toBe('timeout');
  });

  it('rejects every evaluation once closed', async () => {
    const closing = new Sandbox({ poolSize: 1 });
    await closing.close();
    const error = await failure(closing.evaluate('1', {}));
    expect(error.message).toBe('The sandbox is closed');
    expect(closing.stats.isolatesCreated).toBe(0);
  });
});

describe('Sandbox: memory limit', () => {
  it('fails a script that allocates without bound with kind memory, then replaces the isolate', async () => {
    const small = new Sandbox({ poolSize: 1, memoryLimitMb: 16, timeoutMs: 10_000 });
    try {
      const hog = 'const chunks = []; while (true) chunks.push(new Array(100000).fill("x"));';
      const error = await failure(small.evaluate(hog, {}));
      expect(error.kind).toBe('memory');
      expect(error.message).toBe('Script exceeded the sandbox memory limit of 16 MB');
      expect(await small.evaluate('$.n * 2', { n: 21 })).toBe(42);
      expect(small.stats.isolatesCreated).toBe(2);

      const buffers =
        'const kept = []; for (let i = 0; i < 64; i++) kept.push(new ArrayBuffer(8 * 1024 * 1024)); 1';
      expect((await failure(small.evaluate(buffers, {}))).kind).toBe('memory');
      expect(await small.evaluate('"alive"', {})).toBe('alive');
    } finally {
      await small.close();
    }
  });
});

describe('Sandbox: no host access', () => {
  it('has no require, process, timers or WebAssembly', async () => {
    const probe =
      '[typeof require, typeof process, typeof setTimeout, typeof setInterval, typeof WebAssembly, typeof fetch]';
    expect(await sandbox.evaluate(probe, {})).toEqual(Array(6).fill('undefined'));
    expect((await failure(sandbox.evaluate('require("fs")', {}))).message).toBe(
      'ReferenceError: require is not defined',
    );
    expect((await failure(sandbox.evaluate('setTimeout(() => {}, 1)', {}))).message).toBe(
      'ReferenceError: setTimeout is not defined',
    );
  });

  it('does not reach the host through the Function constructor', async () => {
    const error = await failure(sandbox.evaluate("this.constructor.constructor('return process')()", {}));
    expect(error.message).toBe('ReferenceError: process is not defined');
    const sameRealm = "Function('return this')() === globalThis && Function('return typeof process')()";
    expect(await sandbox.evaluate(sameRealm, {})).toBe('undefined');
  });

  it('refuses to read the clock, but builds dates from given values', async () => {
    for (const script of ['Date.now()', 'new Date()', 'Date()']) {
      await expect(sandbox.evaluate(script, {}), script).rejects.toThrow(/cannot read the current time/);
    }
    expect(await sandbox.evaluate('new Date(Date.UTC(2026, 0, 2)).toISOString()', {})).toBe(
      '2026-01-02T00:00:00.000Z',
    );
    expect(
      await sandbox.evaluate(
        'new Date("2026-01-02T03:04:05Z").getTime() === Date.parse("2026-01-02T03:04:05Z")',
        {},
      ),
    ).toBe(true);
    expect(
      await sandbox.evaluate('new Date(0) instanceof Date && new Date(0).constructor === Date', {}),
    ).toBe(true);
  });
});

describe('Sandbox: no state survives an evaluation', () => {
  /** Runs `first` and then `second` on the same single-isolate pool, returning what `second` saw. */
  async function sequence(first: string, second: string): Promise<unknown> {
    const single = new Sandbox({ poolSize: 1 });
    try {
      await single.evaluate(first, {}).catch(() => undefined);
      return await single.evaluate(second, {});
    } finally {
      await single.close();
    }
  }

  it('drops globals, prototype changes and RegExp statics between evaluations on one isolate', async () => {
    const single = new Sandbox({ poolSize: 1 });
    try {
      const first = `
        leaked = 1; globalThis.alsoLeaked = 2; var declared = 3; function declaredFn() {}
        Array.prototype.map = function () { return 'hijacked'; };
        Object.prototype.polluted = true;
        JSON.stringify = () => 'hijacked';
        /sec(ret)/.exec('secret');
        [1].map((n) => n);
      `;
      expect(await single.evaluate(first, {})).toEqual([1]);
      const second = `[typeof leaked, typeof alsoLeaked, typeof declared, typeof declaredFn, ({}).polluted,
        [2].map((n) => n * 2), JSON.stringify({ a: 1 }), RegExp.$1]`;
      expect(await single.evaluate(second, {})).toEqual([
        'undefined',
        'undefined',
        'undefined',
        'undefined',
        null,
        [4],
        '{"a":1}',
        '',
      ]);
      expect(
        await single.evaluate('"use strict"; Array.prototype.map = null', {}).catch((e) => e.message),
      ).toMatch(/^TypeError: Cannot assign to read only property 'map'/);
      expect(single.stats.isolatesCreated).toBe(1);
    } finally {
      await single.close();
    }
  });

  it('replaces the realm when a script leaves a global that cannot be deleted', async () => {
    const first = 'Object.defineProperty(globalThis, "stuck", { value: 1 }); 1';
    expect(await sequence(first, 'typeof stuck')).toBe('undefined');
  });

  it('cleans up globals that promise jobs create after the script returned', async () => {
    const first = 'async function later() { await null; leakedLater = 1; } later(); "done"';
    expect(await sequence(first, 'typeof leakedLater')).toBe('undefined');
  });

  it('cleans up after a timed-out script', async () => {
    const single = new Sandbox({ poolSize: 1 });
    try {
      await failure(single.evaluate('leftover = 1; while (true) {}', {}, { timeoutMs: 100 }));
      expect(await single.evaluate('typeof leftover', {})).toBe('undefined');
    } finally {
      await single.close();
    }
  });

  it('keeps prototype overrides on instances working (the frozen prototypes are tamed)', async () => {
    const script = `
      function Point(x) { this.x = x; }
      Point.prototype.toString = function () { return 'P' + this.x; };
      const e = new Error('m'); e.name = 'Custom';
      [String(new Point(1)), e.toString()];
    `;
    expect(await sandbox.evaluate(script, {})).toEqual(['P1', 'Custom: m']);
  });
});

describe('Sandbox: pool', () => {
  it('spreads concurrent evaluations over the pool and caches compiled scripts', async () => {
    const pool = new Sandbox({ poolSize: 2 });
    try {
      const inputs = Array.from({ length: 40 }, (_, i) => ({ n: i }));
      const results = await Promise.all(inputs.map((input) => pool.evaluate('$.n * 10', input)));
      expect(results).toEqual(inputs.map(({ n }) => n * 10));
      expect(pool.stats).toEqual({ isolatesCreated: 2, evaluations: 40 });
    } finally {
      await pool.close();
    }
  });
});

describe('evaluateCondition', () => {
  it('counts true and numbers greater than 0 as true (Conductor evalBool)', async () => {
    const cases: [string, boolean][] = [
      ['true', true],
      ['false', false],
      ['2', true],
      ['0.5', true],
      ['0', false],
      ['-1', false],
      ['"true"', false],
      ['null', false],
      ['({})', false],
    ];
    for (const [script, expected] of cases) {
      expect(await evaluateCondition(sandbox, script, {}), script).toBe(expected);
    }
    expect(
      await evaluateCondition(sandbox, "$.loopTask['iteration'] < $.value", {
        loopTask: { iteration: 2 },
        value: 2,
      }),
    ).toBe(false);
  });
});
