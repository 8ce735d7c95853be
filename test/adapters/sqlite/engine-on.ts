import { sqlite } from '../../../src/adapters/sqlite/index.js';
import { Engine, type Store } from '../../../src/index.js';
import { ManualClock } from '../../../src/testing/manual-clock.js';
import { T0 } from '../../helpers/fixtures.js';
import { toClose } from './temp-db.js';

/** One "process": an engine on a SQLite file and a manual clock, with the errors it logged. */
export interface EngineProcess {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly errors: unknown[];
  /** Stops the engine and closes the database, as a process exit would. */
  close(): Promise<void>;
}

/**
 * An engine on the database at `path`, on a manual clock at `now`; stopped and closed after the test.
 * `wrapStore` may put a fault injector in front of the store (the engine sees what it returns).
 */
export function engineOn(
  path: string,
  now = T0,
  options: { wrapStore?: (store: Store) => Store } = {},
): EngineProcess {
  const clock = new ManualClock(now);
  const { store, queue } = sqlite({ path });
  const errors: unknown[] = [];
  const engine = new Engine({
    store: options.wrapStore ? options.wrapStore(store) : store,
    queue,
    clock,
    logger: { warn: () => {}, error: (...args) => errors.push(args) },
  });
  let closed = false;
  const handle: EngineProcess = {
    engine,
    clock,
    errors,
    async close() {
      if (closed) return;
      closed = true;
      await engine.stop();
      await queue.close();
      await store.close();
    },
  };
  toClose.push(handle);
  return handle;
}

/**
 * A store whose commits of the workflow `doomed()` names fail (none while it returns null): the process "dies"
 * before that commit. Every other call goes through to `store`.
 */
export function failingCommitsOf(store: Store, doomed: () => string | null): Store {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key === 'commit') {
        return (commit: Parameters<Store['commit']>[0]) => {
          if (commit.workflow.workflowId === doomed()) {
            return Promise.reject(new Error('the process died before this commit'));
          }
          return target.commit(commit);
        };
      }
      return value.bind(target);
    },
  });
}
