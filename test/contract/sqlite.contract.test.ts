import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { SqliteDatabase } from '../../src/adapters/sqlite/database.js';
import { sqlite } from '../../src/adapters/sqlite/index.js';
import { SqliteQueue } from '../../src/adapters/sqlite/queue.js';
import { describeQueueContract } from '../../src/testing/queue-contract.js';
import { describeStoreContract } from '../../src/testing/store-contract.js';

/** Database files made by the current test, deleted (with their WAL and SHM) after it. */
const files: string[] = [];
let counter = 0;
let paired: SqliteQueue | undefined;

function tempPath(): string {
  const path = join(tmpdir(), `baton-contract-${process.pid}-${Date.now()}-${counter++}.db`);
  files.push(path);
  return path;
}

afterEach(async () => {
  // The store suite closes the paired queue only in the tests that use it.
  await paired?.close();
  for (const path of files.splice(0)) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
});

describeStoreContract(
  'sqlite',
  () => {
    const { store, queue } = sqlite({ path: tempPath() });
    paired = queue;
    return store;
  },
  { queue: () => paired as SqliteQueue },
);

describeQueueContract('sqlite', () => new SqliteQueue(SqliteDatabase.open({ path: tempPath() })));
