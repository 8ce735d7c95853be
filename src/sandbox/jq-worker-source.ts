/**
 * The jq worker thread's code (CommonJS, started with `eval: true` so that it needs no separate file in the
 * build output; `workerData.jqPath` is jq-wasm's Emscripten module, resolved by the host).
 *
 * jq-wasm 1.0.1 runs jq's `main` per call, with three defects that this worker patches into the module's
 * source as it loads it (each patch checks that its exact text is present; if any is missing, as in a
 * different jq-wasm version, the module loads unpatched and the host's crash recovery still holds):
 * 1. stdin is fed one byte at a time through `buffer.slice(1)`, and stdout/stderr grow by one byte per
 *    write with a full copy: both quadratic (a 10 KB input cost ~100 ms, 300 KB ~12 s). They become an
 *    index into the input and an amortised growing buffer.
 * 2. `callMain` allocates argv on the wasm stack and never pops it, so after a few hundred calls the stack
 *    overflows ("memory access out of bounds"). The patch restores the stack pointer after each call,
 *    using the only stack export there is: `stackAlloc(n)` sets `sp = (sp - n) & -16`, so a negative size
 *    moves it back up.
 *
 * Each request is `{ id, query, input }` (input as JSON text). The query runs wrapped as
 * `try ((query) | [.]) catch {"error": .}`, so results and jq's runtime error message arrive in band: jq-wasm
 * itself drops stderr whenever stdout is not empty. A compile error is reported from an unwrapped run, so
 * its message shows the user's query. Replies: `{ id, values }`, `{ id, error }`, or `{ id, fatal }` when the
 * wasm instance trapped and the worker must be replaced.
 */
export const JQ_WORKER_SOURCE = String.raw`'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

const PATCHES = [
  {
    pattern: /if \(stdinBuffer\.length > 0\) \{\s*const byte = stdinBuffer\[0\];\s*stdinBuffer = stdinBuffer\.slice\(1\);\s*return byte;\s*\}\s*return null;/g,
    replacement: 'return __readByte(stdinBuffer);',
    count: 1,
  },
  {
    pattern: /const tmp = new Uint8Array\((std(?:out|err)Buffer)\.length \+ 1\);\s*tmp\.set\(\1, 0\);\s*tmp\[tmp\.length - 1\] = charCode;\s*\1 = tmp;/g,
    replacement: '$1 = __appendByte($1, charCode);',
    count: 2,
  },
  {
    pattern: /Module\["callMain"\] = callMain;/g,
    replacement: 'Module["callMain"] = __keepStack(callMain, (size) => __emscripten_stack_alloc(size));',
    count: 1,
  },
];

function patchSource(source) {
  let patched = source;
  for (const { pattern, replacement, count } of PATCHES) {
    const found = source.match(pattern);
    if (found === null || found.length !== count) return undefined;
    patched = patched.replace(pattern, replacement);
  }
  return patched;
}

function createByteReader() {
  let current;
  let offset = 0;
  return (buffer) => {
    if (buffer !== current) {
      current = buffer;
      offset = 0;
    }
    return offset < buffer.length ? buffer[offset++] : null;
  };
}

function appendByte(view, byte) {
  if (view.byteOffset + view.length === view.buffer.byteLength) {
    const grown = new Uint8Array(Math.max(4096, view.length * 2));
    grown.set(view);
    view = grown.subarray(0, view.length);
  }
  const next = new Uint8Array(view.buffer, view.byteOffset, view.length + 1);
  next[view.length] = byte;
  return next;
}

function keepStack(callMain, stackAlloc) {
  return (args) => {
    const saved = stackAlloc(0);
    try {
      return callMain(args);
    } finally {
      stackAlloc(stackAlloc(0) - saved);
    }
  };
}

function loadFactory(file) {
  const patched = patchSource(fs.readFileSync(file, 'utf8'));
  if (patched === undefined) return { factory: require(file), patched: false };
  const wrapper = vm.runInThisContext(
    '(function (exports, require, module, __filename, __dirname, __readByte, __appendByte, __keepStack) {' +
      patched +
      '\n})',
    { filename: file },
  );
  const module = { exports: {} };
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file), createByteReader(), appendByte, keepStack);
  return { factory: module.exports, patched: true };
}

function describeJqError(value) {
  return typeof value === 'string' ? value : JSON.stringify(value) + ' (not a string)';
}

function cleanCliMessage(message) {
  return message
    .replace(/^jq: error(?: \(at [^)]*\))?: /, '')
    .replace(/\njq: \d+ compile errors?$/, '')
    .trim();
}

function isFatal(error) {
  return !(error instanceof Error) || error.constructor !== Error;
}

async function runQuery(jq, { id, query, input }) {
  let text;
  try {
    text = await jq.raw(input, 'try ((\n' + query + '\n) | [.]) catch {"error": .}', ['-c']);
  } catch (error) {
    if (isFatal(error)) return { id, fatal: String(error && error.message ? error.message : error) };
    try {
      await jq.raw(input, query, ['-c']);
      return { id, error: cleanCliMessage(error.message) };
    } catch (unwrapped) {
      if (isFatal(unwrapped)) return { id, fatal: String(unwrapped.message) };
      return { id, error: cleanCliMessage(unwrapped.message) };
    }
  }
  const values = [];
  if (text === '') return { id, values };
  for (const line of text.split('\n')) {
    const item = JSON.parse(line);
    if (!Array.isArray(item)) return { id, error: describeJqError(item.error) };
    values.push(item[0]);
  }
  return { id, values };
}

const loading = (async () => {
  const { factory, patched } = loadFactory(workerData.jqPath);
  const jq = await factory();
  parentPort.postMessage({ type: 'ready', patched });
  return jq;
})();

parentPort.on('message', async (request) => {
  let jq;
  try {
    jq = await loading;
  } catch (error) {
    parentPort.postMessage({ id: request.id, fatal: 'jq could not be loaded: ' + String(error && error.message) });
    return;
  }
  parentPort.postMessage(await runQuery(jq, request));
});
`;
