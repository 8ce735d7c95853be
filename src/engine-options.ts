import type { Clock } from './clock/clock.js';
import type { Queue } from './queue/queue.js';
import type { Store } from './store/store.js';

/** Where the engine reports problems it cannot throw to a caller (a failing timer, a worker's lost result). */
export interface Logger {
  debug?(message: string, ...details: unknown[]): void;
  info?(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** Limits of the INLINE / LAMBDA script sandbox. */
export interface SandboxOptions {
  /** Memory limit of an isolate. @default 32 */
  memoryLimitMb?: number;
  /** Wall-clock limit of one evaluation. @default 1000 */
  timeoutMs?: number;
  /** Isolates in the pool. @default the number of CPU cores */
  poolSize?: number;
}

/** Options of `new Engine(options)`; every one is optional. */
export interface EngineOptions {
  /** Definitions, executions and task logs. @default an in-memory store */
  store?: Store;
  /** Task queues and durable wakeups. @default an in-memory queue */
  queue?: Queue;
  /** The source of time for every due time in the engine. @default the system clock */
  clock?: Clock;
  sandbox?: SandboxOptions;
  /** Environment variables `${NAME}` may read; by default none leak into task inputs. */
  env?: { allow: readonly string[] };
  /** @default console warnings and errors */
  logger?: Logger;
  /**
   * How often to look for due work this engine was not told about (another process sharing the store and
   * queue); 0 = never. Work this engine creates is handled at its exact due time regardless. @default 0
   */
  sweepIntervalMs?: number;
  /** How long `stop()` waits for running in-process handlers before aborting them. @default 10000 */
  stopTimeoutMs?: number;
}
