import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const files: string[] = [];
let counter = 0;

/** A fresh database path in the OS temp folder, deleted (with its WAL and SHM files) after the test. */
export function tempDbPath(): string {
  const path = join(tmpdir(), `baton-sqlite-${process.pid}-${Date.now()}-${counter++}.db`);
  files.push(path);
  return path;
}

/** Closers to run after the test, before its files are deleted. */
export const toClose: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c.close();
  for (const path of files.splice(0)) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
});
