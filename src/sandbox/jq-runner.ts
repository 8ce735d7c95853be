import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { JqError } from './jq-error.js';
import { JQ_WORKER_SOURCE } from './jq-worker-source.js';

/** Options of a {@link JqRunner}. */
export interface JqRunnerOptions {
  /** Wall-clock budget of one query, in ms, counted once the worker is ready. @default 5000 */
  timeoutMs?: number;
}

interface Job {
  readonly id: number;
  readonly query: string;
  readonly input: string;
  readonly timeoutMs: number;
  readonly resolve: (values: unknown[]) => void;
  readonly reject: (error: JqError) => void;
  /** A crashed worker's job is retried once on a fresh one (jq-wasm's instance can trap on its own). */
  retried: boolean;
  timer?: NodeJS.Timeout;
}

type Reply =
  | { id: number; values: unknown[] }
  | { id: number; error: string }
  | { id: number; fatal: string };

interface RunningWorker {
  readonly thread: Worker;
  readonly ready: Promise<void>;
}

/**
 * Runs jq queries on jq-wasm in a worker thread, one at a time. jq runs synchronously and a query can loop
 * forever (`until(false; .)`) or trap the wasm instance, so it is kept off the main thread: a query past its
 * timeout, or a crashed instance, costs a worker restart (~100 ms), never the event loop or the process.
 * jq-wasm compiles the query on every call (it runs jq's `main`); there is no compiled-query cache to keep.
 * The worker is unreferenced while idle, so it never keeps the process alive.
 */
export class JqRunner {
  readonly #timeoutMs: number;
  readonly #queue: Job[] = [];
  #worker: RunningWorker | undefined;
  #active: Job | undefined;
  #nextId = 1;
  #closed = false;

  constructor(options: JqRunnerOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** All outputs of `query` run against `input` (jq's `-c` stream, parsed). Rejects with a JqError. */
  query(query: string, input: unknown, options?: { timeoutMs?: number }): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(new JqError('The jq runner is closed'));
    if (typeof query !== 'string') return Promise.reject(new JqError('The jq query must be a string'));
    let json: string;
    try {
      json = JSON.stringify(input) ?? 'null';
    } catch (error) {
      return Promise.reject(new JqError(`The jq input is not JSON data: ${(error as Error).message}`));
    }
    return new Promise((resolve, reject) => {
      const timeoutMs = options?.timeoutMs ?? this.#timeoutMs;
      this.#queue.push({
        id: this.#nextId++,
        query,
        input: json,
        timeoutMs,
        resolve,
        reject,
        retried: false,
      });
      this.#pump();
    });
  }

  /** Stops the worker; pending queries reject. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const pending = [...(this.#active ? [this.#active] : []), ...this.#queue.splice(0)];
    this.#active = undefined;
    for (const job of pending) this.#settle(job, new JqError('The jq runner is closed'));
    await this.#stopWorker();
  }

  #pump(): void {
    if (this.#active !== undefined || this.#closed) return;
    const job = this.#queue.shift();
    if (job === undefined) {
      this.#worker?.thread.unref();
      return;
    }
    this.#active = job;
    const worker = this.#ensureWorker();
    worker.thread.ref();
    worker.thread.postMessage({ id: job.id, query: job.query, input: job.input });
    // The budget starts once jq is loaded, so a cold start does not eat a short timeout.
    worker.ready.then(() => {
      if (this.#active === job) job.timer = setTimeout(() => this.#onTimeout(job), job.timeoutMs);
    });
  }

  #ensureWorker(): RunningWorker {
    if (this.#worker !== undefined) return this.#worker;
    const jqPath = createRequire(import.meta.url).resolve('jq-wasm/dist/build/jq.js');
    const thread = new Worker(JQ_WORKER_SOURCE, { eval: true, workerData: { jqPath } });
    const ready = new Promise<void>((resolve) => {
      thread.on('message', (message: { type?: string } & Partial<Reply>) => {
        if (message.type === 'ready') resolve();
        else this.#onReply(message as Reply);
      });
    });
    thread.on('error', (error) => this.#onCrash(thread, error.message));
    thread.on('exit', (code) => this.#onCrash(thread, `the jq worker exited with code ${code}`));
    this.#worker = { thread, ready };
    return this.#worker;
  }

  #onReply(reply: Reply): void {
    const job = this.#active;
    if (job === undefined || job.id !== reply.id) return;
    if ('fatal' in reply) {
      this.#restartWith(job, `jq crashed: ${reply.fatal}`);
      return;
    }
    this.#active = undefined;
    if ('values' in reply) this.#settle(job, reply.values);
    else this.#settle(job, new JqError(reply.error));
    this.#pump();
  }

  #onTimeout(job: Job): void {
    if (this.#active !== job) return;
    this.#active = undefined;
    this.#settle(job, new JqError(`jq query timed out after ${job.timeoutMs} ms`));
    void this.#stopWorker().then(() => this.#pump());
  }

  #onCrash(thread: Worker, reason: string): void {
    if (this.#worker?.thread !== thread) return; // a worker we stopped on purpose
    this.#worker = undefined;
    const job = this.#active;
    if (job !== undefined) this.#restartWith(job, `jq crashed: ${reason}`);
  }

  /** Replaces the worker and retries `job` once on the new one; a second failure rejects it. */
  #restartWith(job: Job, reason: string): void {
    clearTimeout(job.timer);
    this.#active = undefined;
    if (job.retried) this.#settle(job, new JqError(reason));
    else {
      job.retried = true;
      this.#queue.unshift(job);
    }
    void this.#stopWorker().then(() => this.#pump());
  }

  async #stopWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.thread.terminate();
  }

  #settle(job: Job, outcome: unknown[] | JqError): void {
    clearTimeout(job.timer);
    if (outcome instanceof JqError) job.reject(outcome);
    else job.resolve(outcome);
  }
}
