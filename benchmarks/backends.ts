import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlite } from '../src/adapters/sqlite/index.js';
import type { EngineOptions } from '../src/index.js';

const STORES = ['memory', 'sqlite', 'sqlite-full'];

/** The store/queue a benchmark runs on (`--store`), as engine options. */
export async function backendOptions(store: string): Promise<EngineOptions> {
  switch (store) {
    case 'memory':
      return {};
    case 'sqlite':
      // Durable against a process crash: WAL with synchronous=NORMAL.
      return sqlite({ path: tempDatabase(), synchronous: 'NORMAL' });
    case 'sqlite-full':
      // Durable against a power loss too: every commit synced.
      return sqlite({ path: tempDatabase(), synchronous: 'FULL' });
    default:
      throw new Error(`Unknown --store ${store} (available: ${STORES.join(', ')})`);
  }
}

let counter = 0;

/** A fresh database file in the OS temp folder, deleted (with its WAL and SHM) when the process exits. */
function tempDatabase(): string {
  const path = join(tmpdir(), `baton-bench-${process.pid}-${counter++}.db`);
  process.on('exit', () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  });
  return path;
}
