import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/testing/seeded-random.js';
import { auditCrashDatabase } from './crash-audit.js';
import { WORKFLOW_COUNT } from './crash-workflows.js';

/**
 * The SQLite crash test (issue 6): an engine process (crash-child.ts) runs a few hundred workflows (SIMPLE
 * chains, FORK/JOIN, DO_WHILE, sub-workflows, retried tasks; crash-workflows.ts) on one database file and is
 * killed with SIGKILL at random moments, then restarted, again and again; a last run finishes the work. The
 * database must then hold every workflow COMPLETED with the right output, no step scheduled twice, one child per
 * SUB_WORKFLOW task, every acknowledged worker result, and empty queues (crash-audit.ts).
 *
 * The kill schedule comes from a seeded PRNG; a failure names the seed, and BATON_CRASH_SEED=<seed> replays the
 * schedule (the moments are wall-clock delays, so the work a kill interrupts still varies a little).
 */

const KILLS = 16;
/** A kill lands this long after the child said `ready` (its engine started): during starts, work and recovery. */
const KILL_AFTER_MS = { min: 100, max: 600 };
/** At least this many kills must interrupt unfinished work, or the test proves little. */
const MIN_KILLS_MID_WORK = KILLS / 2;
/** A child that is not ready in this time, or a last run that does not finish in this time, is stuck. */
const READY_TIMEOUT_MS = 20_000;
const LAST_RUN_TIMEOUT_MS = 45_000;

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** One run of the child process, with what it has said so far. */
class ChildRun {
  readonly process: ChildProcess;
  /** Top-level workflows ended, as last reported (null before the child has started them all). */
  ended: number | null = null;
  stderr = '';
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(dbPath: string, journalPath: string, run: number) {
    this.process = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, journalPath, String(run)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stderr?.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => resolve({ code, signal }));
    });
    this.ready = new Promise((resolve, reject) => {
      const lines = createInterface({ input: this.process.stdout! });
      lines.on('line', (line) => {
        if (line === 'ready') resolve();
        const progress = /^progress (\d+) \d+$/.exec(line);
        if (progress) this.ended = Number(progress[1]);
      });
      void this.exited.then(({ code, signal }) =>
        reject(new Error(`run ${run} exited (${code ?? signal}) before it was ready:\n${this.stderr}`)),
      );
    });
  }

  /** Resolves after `ms`, or earlier when the child exits on its own; true when it is still running. */
  async runsFor(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), ms);
    });
    const running = await Promise.race([elapsed, this.exited.then(() => false)]);
    clearTimeout(timer);
    return running;
  }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Kill {
  run: number;
  afterMs: number;
  /** Top-level workflows ended when the kill landed; null while the child was still starting them. */
  ended: number | null;
}

let dir: string | null = null;
let live: ChildRun | null = null;

afterEach(() => {
  live?.process.kill('SIGKILL');
  live = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('sqlite: crash test', () => {
  it(`every workflow completes, exactly once, after ${KILLS} SIGKILLs at random moments`, async () => {
    const seed = Number(process.env.BATON_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = seededRandom(seed);
    dir = mkdtempSync(join(tmpdir(), 'baton-crash-'));
    const dbPath = join(dir, 'crash.db');
    const journalPath = join(dir, 'journal.log');
    const kills: Kill[] = [];
    const stderr: string[] = [];
    const started = Date.now();
    try {
      let run = 0;
      for (; run < KILLS; run++) {
        const child = new ChildRun(dbPath, journalPath, run);
        live = child;
        await within(child.ready, READY_TIMEOUT_MS, `run ${run} starting`);
        const afterMs = Math.round(KILL_AFTER_MS.min + random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
        const running = await child.runsFor(afterMs);
        if (running) {
          const ended = child.ended;
          child.process.kill('SIGKILL');
          const { signal } = await child.exited;
          expect(signal, `run ${run} was to be killed`).toBe('SIGKILL');
          kills.push({ run, afterMs, ended });
        }
        stderr.push(child.stderr);
        live = null;
        // A run that finished everything before its kill: the kills that follow could interrupt nothing.
        if (!running) break;
      }

      // The last run works until everything has ended. One that has not by the time limit is stopped, and the
      // audit names the workflows it was stuck on.
      const last = new ChildRun(dbPath, journalPath, run + 1);
      live = last;
      const stuck = await last.runsFor(LAST_RUN_TIMEOUT_MS);
      if (stuck) last.process.kill('SIGKILL');
      const exit = await last.exited;
      stderr.push(last.stderr);
      live = null;

      const audit = await auditCrashDatabase(dbPath, journalPath);
      const midWork = kills.filter((k) => k.ended === null || k.ended < WORKFLOW_COUNT);
      console.info(
        `crash test: seed ${seed}, ${kills.length} kills (${midWork.length} mid-work), ` +
          `${audit.workflows} workflows, ${audit.tasks} tasks, ${audit.acks} acknowledged results, ` +
          `${audit.unacked} results lost with their process, ${audit.timedOut} attempts timed out after a kill, ` +
          `${Date.now() - started} ms`,
      );
      expect(audit.problems).toEqual([]);
      expect(stuck, `the last run did not finish within ${LAST_RUN_TIMEOUT_MS} ms`).toBe(false);
      expect(exit, `the last run ended badly:\n${last.stderr}`).toEqual({ code: 0, signal: null });
      // What the engine logged: a restart must not run into errors (a failed decide, a lost worker result).
      const engineErrors = stderr
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('engine-error'));
      expect(engineErrors).toEqual([]);
      // The kills must have interrupted real work, not a process with nothing left to do...
      expect(midWork.length, `kills: ${JSON.stringify(kills)}`).toBeGreaterThanOrEqual(MIN_KILLS_MID_WORK);
      // ...and some of them in-flight worker tasks: their attempts timed out in the next run and were retried.
      expect(audit.timedOut).toBeGreaterThan(0);
    } catch (error) {
      if (error instanceof Error) {
        error.message = `[crash test seed ${seed}: rerun with BATON_CRASH_SEED=${seed}; kills ${JSON.stringify(kills)}] ${error.message}`;
      }
      throw error;
    }
  }, 110_000);
});
