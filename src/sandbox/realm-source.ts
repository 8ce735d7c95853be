/**
 * JavaScript that runs once inside every new isolate context, before any user script, and turns it into a
 * frozen realm that many evaluations can share. It is kept as a plain string (not a compiled function turned
 * back into text) so that no build step or coverage tool can rewrite it into code that needs host helpers.
 *
 * What it does, in order:
 * 1. Removes globals whose effects outlive an evaluation or live outside the V8 heap: `SharedArrayBuffer`,
 *    `Atomics`, `WebAssembly` (async compilation, memory outside the heap), `FinalizationRegistry` and
 *    `WeakRef` (callbacks and GC timing that a later evaluation could observe); and replaces `Date` by one
 *    that refuses to read the clock (`Date.now()`, `new Date()`) but still builds dates from given values.
 * 2. Turns a few prototype properties that scripts commonly assign on instances (`toString`, `constructor`,
 *    an error's `name` and `message`, …) into accessors, so that freezing the prototype does not make
 *    `obj.toString = fn` fail (the "override mistake" that SES also tames).
 * 3. Freezes every object reachable from the global object and from the intrinsics that only syntax reaches
 *    (generator, async and iterator prototypes, …), so no script can change a builtin for a later one.
 * 4. Makes the existing global bindings read-only but keeps the global object extensible: sloppy scripts may
 *    still create implicit globals (`total = 0`), which `reset` deletes after each evaluation.
 * 5. Defines `$` as an accessor that parses the current input JSON on first read, and `__batonRun`, which
 *    runs one evaluation and reports its outcome as a string (see `RUN_PROTOCOL`).
 *
 * Its completion value is `{ holder, reset }`: the host writes each input's JSON to `holder.json` before a
 * run and calls `reset` after it (whatever its outcome), once no script code can run any more.
 */
export const REALM_SOURCE = `(function prepareRealm(global) {
  'use strict';
  const { apply, defineProperty, deleteProperty, getOwnPropertyDescriptor, getPrototypeOf, ownKeys } = Reflect;
  const { freeze } = Object;
  const parseJson = JSON.parse;
  const stringify = JSON.stringify;
  const regExpExec = RegExp.prototype.exec;
  const ErrorCtor = Error;

  for (const name of ['SharedArrayBuffer', 'Atomics', 'WebAssembly', 'FinalizationRegistry', 'WeakRef']) {
    deleteProperty(global, name);
  }

  // Reading the clock makes a script's result depend on when it ran; dates from explicit values still work.
  const HostDate = Date;
  const noClock = function () {
    throw new TypeError('Scripts cannot read the current time (Date.now(), new Date()): pass the time in as an input');
  };
  const SafeDate = function Date(...args) {
    if (!new.target || args.length === 0) noClock();
    return Reflect.construct(HostDate, args, new.target);
  };
  SafeDate.prototype = HostDate.prototype;
  SafeDate.UTC = HostDate.UTC;
  SafeDate.parse = HostDate.parse;
  SafeDate.now = noClock;
  defineProperty(HostDate.prototype, 'constructor', { value: SafeDate, writable: true, configurable: true });
  defineProperty(global, 'Date', { value: SafeDate, writable: true, configurable: true });

  function tameOverride(object, key) {
    const descriptor = getOwnPropertyDescriptor(object, key);
    if (!descriptor || !('value' in descriptor)) return;
    const value = descriptor.value;
    defineProperty(object, key, {
      get() { return value; },
      set(next) {
        if (this === object) throw new TypeError('Cannot assign to read only property ' + String(key) + ' of a builtin');
        defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
      },
      enumerable: descriptor.enumerable,
      configurable: false,
    });
  }
  const overridable = [
    [Object.prototype, ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty']],
    [Function.prototype, ['constructor', 'toString']],
    [Error.prototype, ['constructor', 'name', 'message', 'toString']],
    [Array.prototype, ['constructor', 'toString']],
  ];
  for (const [object, keys] of overridable) for (const key of keys) tameOverride(object, key);

  const hiddenRoots = [
    function* () {},
    (function* () {})(),
    async function () {},
    async function* () {},
    (async function* () {})(),
    [][Symbol.iterator](),
    new Map()[Symbol.iterator](),
    new Set()[Symbol.iterator](),
    ''[Symbol.iterator](),
    /x/[Symbol.matchAll](''),
    (function () { return arguments; })(),
    (function () { 'use strict'; return arguments; })(),
  ];
  if (typeof Intl === 'object' && typeof Intl.Segmenter === 'function') {
    const segments = new Intl.Segmenter().segment('');
    hiddenRoots.push(segments, segments[Symbol.iterator]());
  }

  const seen = new Set();
  const pending = [global, ...hiddenRoots];
  while (pending.length > 0) {
    const value = pending.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    pending.push(getPrototypeOf(value));
    for (const key of ownKeys(value)) {
      const descriptor = getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined) continue;
      if ('value' in descriptor) pending.push(descriptor.value);
      else pending.push(descriptor.get, descriptor.set);
    }
    if (value !== global) freeze(value);
  }

  const holder = { __proto__: null, json: 'null', parsed: false, value: null, running: false };
  // Arrow functions have no prototype object; freezing them leaves nothing a script could write to.
  const readInput = freeze(() => {
    if (!holder.parsed) {
      holder.value = parseJson(holder.json);
      holder.parsed = true;
    }
    return holder.value;
  });
  const writeInput = freeze((value) => {
    holder.value = value;
    holder.parsed = true;
  });
  defineProperty(global, '$', { get: readInput, set: writeInput, enumerable: true, configurable: false });

  function describe(error) {
    try {
      if (error instanceof ErrorCtor) {
        const name = String(error.name);
        const message = String(error.message);
        return message === '' ? name : name + ': ' + message;
      }
      if (typeof error === 'string') return error;
      const json = stringify(error);
      return json === undefined ? String(error) : json;
    } catch {
      return 'Error: the script threw a value that cannot be described';
    }
  }

  function serialize(value) {
    const type = typeof value;
    if (type === 'function' || type === 'symbol') return 'O' + 'The script result is a ' + type + ', which is not JSON data';
    try {
      const json = stringify(value);
      return 'J' + (json === undefined ? 'null' : json);
    } catch (error) {
      return 'O' + 'The script result cannot be converted to JSON: ' + describe(error);
    }
  }

  for (const key of ownKeys(global)) {
    const descriptor = getOwnPropertyDescriptor(global, key);
    if ('value' in descriptor) defineProperty(global, key, { writable: false, configurable: false });
    else defineProperty(global, key, { configurable: false });
  }
  const baseline = new Set(ownKeys(global));
  baseline.add('__batonRun');
  const globalPrototype = getPrototypeOf(global);
  const emptyPattern = /(?:)/;

  function reset() {
    holder.json = 'null';
    holder.parsed = false;
    holder.value = null;
    holder.running = false;
    let clean = getPrototypeOf(global) === globalPrototype;
    for (const key of ownKeys(global)) {
      if (!baseline.has(key) && !deleteProperty(global, key)) clean = false;
    }
    apply(regExpExec, emptyPattern, ['']);
    return clean;
  }

  // Cleanup is the host's job (reset), after isolated-vm has drained the promise jobs this run queued:
  // an async continuation may still create globals once the script itself has returned.
  const run = (script) => {
    if (holder.running) throw new TypeError('__batonRun cannot be called by a script');
    holder.running = true;
    try {
      return serialize(apply(script, global, []));
    } catch (error) {
      return 'R' + describe(error);
    }
  };
  defineProperty(global, '__batonRun', { value: freeze(run), writable: false, enumerable: false, configurable: false });

  return { holder, reset };
})(globalThis)`;

/**
 * The text compiled (once per isolate) for a user script: the source runs through a direct `eval` inside a
 * function, which gives GraalJS's "value of the last expression statement" result while keeping `var`,
 * `function`, `let` and `const` declarations out of the shared global scope.
 */
export function wrapScript(source: string): string {
  return `__batonRun(function () { return eval(${JSON.stringify(source)}); })`;
}

/**
 * The string `__batonRun` returns: one character for the outcome (`J` JSON result, `O` a result that is not
 * JSON data, `R` the script threw), then the payload (JSON text, or the message). Everything the script
 * could run (getters, `toJSON`, error `message` getters) runs inside the timed run; the host only receives
 * a string, so copying the outcome out never runs script code.
 */
export const RUN_PROTOCOL = { json: 'J', output: 'O', thrown: 'R' } as const;
