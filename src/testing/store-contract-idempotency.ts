import { describe, expect, it } from 'vitest';
import { BatonError } from '../errors.js';
import type { WorkflowStatus } from '../model/status.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { IdempotencyClaim, Store } from '../store/store.js';
import { makeWorkflow, makeWorkflowDef, T0 } from './fixtures.js';
import { failureOf } from './store-contract-assertions.js';

/** Asserts an idempotency clash (code CONFLICT) naming `holder`. */
function expectClash(error: unknown, holder: string): void {
  expect(error, 'expected an idempotency conflict, but nothing was thrown').toBeDefined();
  expect(BatonError.is(error, 'CONFLICT')).toBe(true);
  expect((error as { existingWorkflowId?: unknown }).existingWorkflowId).toBe(holder);
}

/**
 * The contract of idempotency claims made with a create (`WorkflowCommit.idempotency`), registered inside
 * `describeStoreContract`.
 */
export function describeIdempotencyContract(store: () => Store): void {
  describe('idempotency claims', () => {
    const KEY = 'order-42';

    function keyed(workflowId: string, overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
      return makeWorkflow({ workflowId, idempotencyKey: KEY, ...overrides });
    }

    function create(
      workflow: WorkflowRecord,
      conflictsWith: IdempotencyClaim['conflictsWith'] = 'any',
    ): Promise<number> {
      return store().commit({
        workflow,
        expectedVersion: 0,
        tasks: [],
        queue: [],
        idempotency: { conflictsWith },
      });
    }

    async function setStatus(workflowId: string, status: WorkflowStatus): Promise<void> {
      const stored = await store().getWorkflow(workflowId, { includeTasks: false });
      expect(stored).not.toBeNull();
      await store().commit({
        workflow: { ...stored!.workflow, status },
        expectedVersion: stored!.version,
        tasks: [],
        queue: [],
      });
    }

    it('refuses a second create with the key (any), naming the holder and writing nothing', async () => {
      await create(keyed('wf-a'));
      expectClash(await failureOf(() => create(keyed('wf-b'))), 'wf-a');
      expect(await store().getWorkflow('wf-b')).toBeNull();
    });

    it('scopes keys per workflow name, and ignores workflows without a key', async () => {
      await create(keyed('wf-a'));
      const other = makeWorkflowDef({ name: 'other_workflow' });
      await create(keyed('wf-b', { workflowName: 'other_workflow', workflowDefinition: other }));
      await create(makeWorkflow({ workflowId: 'wf-c' }));
      await create(makeWorkflow({ workflowId: 'wf-d' }));
      await create(keyed('wf-e', { idempotencyKey: 'another-key' }));
      expect(await store().getWorkflow('wf-b')).not.toBeNull();
      expect(await store().getWorkflow('wf-e')).not.toBeNull();
    });

    it('refuses any claim while the holder has ended, too', async () => {
      await create(keyed('wf-a'));
      await setStatus('wf-a', 'COMPLETED');
      expectClash(await failureOf(() => create(keyed('wf-b'))), 'wf-a');
    });

    it('refuses an active claim only while a holder is RUNNING or PAUSED', async () => {
      await create(keyed('wf-a'), 'active');
      expectClash(await failureOf(() => create(keyed('wf-b'), 'active')), 'wf-a');
      await setStatus('wf-a', 'PAUSED');
      expectClash(await failureOf(() => create(keyed('wf-b'), 'active')), 'wf-a');
      for (const status of ['COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED'] as const) {
        await setStatus('wf-a', status);
        const id = `wf-after-${status}`;
        await create(keyed(id, { createTime: T0 + 1 }), 'active');
        expectClash(await failureOf(() => create(keyed('wf-x'), 'active')), id);
        await setStatus(id, 'COMPLETED');
      }
    });

    it('names the newest holder when several hold the key', async () => {
      await create(keyed('wf-a'), 'active');
      await setStatus('wf-a', 'COMPLETED');
      await create(keyed('wf-b', { createTime: T0 + 5 }), 'active');
      await setStatus('wf-b', 'FAILED');
      expectClash(await failureOf(() => create(keyed('wf-c'))), 'wf-b');
    });

    it('lets exactly one of many concurrent claims of one key win', async () => {
      const ids = Array.from({ length: 25 }, (_, i) => `wf-${i}`);
      const results = await Promise.allSettled(ids.map((id) => create(keyed(id))));
      const won = ids.filter((_, i) => results[i].status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expectClash(result.reason, won[0]);
      }
      for (const id of ids) expect((await store().getWorkflow(id)) !== null).toBe(id === won[0]);
    });

    it('frees the key when its holder is removed', async () => {
      await create(keyed('wf-a'));
      await store().removeWorkflow('wf-a');
      await create(keyed('wf-b'));
      expectClash(await failureOf(() => create(keyed('wf-c'))), 'wf-b');
    });

    it('keeps no trace of a refused claim', async () => {
      await create(keyed('wf-a'));
      await failureOf(() => create(keyed('wf-b')));
      await store().removeWorkflow('wf-a');
      await create(keyed('wf-c'));
      expect(await store().getWorkflow('wf-c')).not.toBeNull();
    });
  });
}
