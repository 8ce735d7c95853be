import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqlite } from '../../../src/adapters/sqlite/index.js';
import { makeWorkflow, makeWorkflowDef } from '../../../src/testing/fixtures.js';
import { deepFreeze } from '../../../src/util/deep-freeze.js';
import { tempDbPath, toClose } from './temp-db.js';

function open(path: string) {
  const { store, queue } = sqlite({ path });
  toClose.push(store, queue);
  return store;
}

function snapshotCount(path: string): number {
  const raw = new Database(path, { readonly: true });
  try {
    return (raw.prepare('SELECT count(*) AS n FROM workflow_def_snapshots').get() as { n: number }).n;
  } finally {
    raw.close();
  }
}

const commit = (workflow: ReturnType<typeof makeWorkflow>, expectedVersion = 0) => ({
  workflow,
  expectedVersion,
  tasks: [],
  queue: [],
});

describe('sqlite: definition snapshots', () => {
  it('stores a definition once for all its workflows, outside their rows', async () => {
    const path = tempDbPath();
    const store = open(path);
    const def = deepFreeze(makeWorkflowDef());
    await store.commit(commit(makeWorkflow({ workflowId: 'a', workflowDefinition: def })));
    // An equal definition in another object: same content, same snapshot.
    await store.commit(commit(makeWorkflow({ workflowId: 'b', workflowDefinition: makeWorkflowDef() })));
    expect(snapshotCount(path)).toBe(1);
    const raw = new Database(path, { readonly: true });
    try {
      for (const row of raw.prepare('SELECT json FROM workflows').all() as { json: string }[]) {
        expect(JSON.parse(row.json)).not.toHaveProperty('workflowDefinition');
      }
    } finally {
      raw.close();
    }
  });

  it('loads return one shared, frozen definition object', async () => {
    const path = tempDbPath();
    const store = open(path);
    await store.commit(commit(makeWorkflow({ workflowId: 'a' })));
    await store.commit(commit(makeWorkflow({ workflowId: 'b' })));
    const a = await store.getWorkflow('a');
    const b = await store.getWorkflow('b');
    const again = await store.getWorkflow('a');
    expect(a?.workflow.workflowDefinition).toEqual(makeWorkflowDef());
    expect(b?.workflow.workflowDefinition).toBe(a?.workflow.workflowDefinition);
    expect(again?.workflow.workflowDefinition).toBe(a?.workflow.workflowDefinition);
    expect(Object.isFrozen(a?.workflow.workflowDefinition.tasks[0])).toBe(true);
    // Another store on the file (another process) reads the same content.
    const other = open(path);
    expect((await other.getWorkflow('b'))?.workflow.workflowDefinition).toEqual(makeWorkflowDef());
  });

  it('a workflow whose definition changes (restart with the latest) gets the new snapshot', async () => {
    const path = tempDbPath();
    const store = open(path);
    await store.commit(commit(makeWorkflow({ workflowId: 'a' })));
    const v2 = makeWorkflowDef({ version: 2, description: 'second' });
    await store.commit(commit(makeWorkflow({ workflowId: 'a', workflowDefinition: v2 }), 1));
    expect((await store.getWorkflow('a'))?.workflow.workflowDefinition).toEqual(v2);
    expect(snapshotCount(path)).toBe(2);
  });

  it('a snapshot is deleted with the last workflow that uses it', async () => {
    const path = tempDbPath();
    const store = open(path);
    await store.commit(commit(makeWorkflow({ workflowId: 'a' })));
    await store.commit(commit(makeWorkflow({ workflowId: 'b' })));
    await store.removeWorkflow('a');
    expect(snapshotCount(path)).toBe(1);
    expect((await store.getWorkflow('b'))?.workflow.workflowDefinition).toEqual(makeWorkflowDef());
    await store.removeWorkflow('b');
    expect(snapshotCount(path)).toBe(0);
    // And is written again by the next workflow of that definition, even though this store cached it.
    await store.commit(commit(makeWorkflow({ workflowId: 'c' })));
    expect(snapshotCount(path)).toBe(1);
    const other = open(path);
    expect((await other.getWorkflow('c'))?.workflow.workflowDefinition).toEqual(makeWorkflowDef());
  });
});
