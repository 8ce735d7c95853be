import { beforeEach, describe, expect, it } from 'vitest';
import { searchCriteria, type WorkflowSearchQuery } from '../model/search.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { Store } from '../store/store.js';
import { makeWorkflow, makeWorkflowDef, T0 } from './fixtures.js';

/** The `searchWorkflows` contract, registered inside `describeStoreContract`. */
export function describeSearchContract(store: () => Store): void {
  describe('searchWorkflows', () => {
    const orders = makeWorkflowDef({ name: 'orders' });
    const refunds = makeWorkflowDef({ name: 'refunds' });

    function row(id: string, startOffset: number, overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
      const def = overrides.workflowName === 'refunds' ? refunds : orders;
      return makeWorkflow({
        workflowId: id,
        workflowName: def.name,
        workflowDefinition: def,
        startTime: T0 + startOffset,
        createTime: T0 + startOffset,
        ...overrides,
      });
    }

    const rows = [
      row('wf-1', 10, { correlationId: 'c-1', input: { customer: 'Ada Lovelace' } }),
      row('wf-2', 20, {
        status: 'COMPLETED',
        correlationId: 'c-1',
        output: { receipt: 'R-777' },
        updateTime: T0 + 25,
        endTime: T0 + 30,
      }),
      row('wf-3', 30, {
        workflowName: 'refunds',
        status: 'FAILED',
        reasonForIncompletion: 'card declined',
        failedTaskNames: ['charge'],
        failedReferenceTaskNames: ['charge_ref'],
        endTime: T0 + 40,
      }),
      row('wf-4', 40, { workflowName: 'refunds', status: 'PAUSED', correlationId: 'c-2' }),
      row('wf-5', 50, { status: 'TERMINATED' }),
    ];

    beforeEach(async () => {
      // Created out of start order, so insertion order is no shortcut to the sort.
      for (const i of [2, 0, 4, 1, 3]) {
        await store().commit({ workflow: rows[i], expectedVersion: 0, tasks: [], queue: [] });
      }
    });

    async function ids(query: WorkflowSearchQuery = {}): Promise<string[]> {
      const found = await store().searchWorkflows(searchCriteria(query));
      return found.results.map((s) => s.workflowId);
    }

    it('returns every workflow newest first by default, with totalHits', async () => {
      const found = await store().searchWorkflows(searchCriteria());
      expect(found.totalHits).toBe(5);
      expect(found.results.map((s) => s.workflowId)).toEqual(['wf-5', 'wf-4', 'wf-3', 'wf-2', 'wf-1']);
    });

    it('sorts by start time ascending on request, ties by workflow id', async () => {
      await store().commit({ workflow: row('wf-0', 30), expectedVersion: 0, tasks: [], queue: [] });
      expect(await ids({ sort: 'startTime:ASC' })).toEqual(['wf-1', 'wf-2', 'wf-0', 'wf-3', 'wf-4', 'wf-5']);
      expect(await ids({ sort: 'startTime:DESC' })).toEqual(['wf-5', 'wf-4', 'wf-0', 'wf-3', 'wf-2', 'wf-1']);
    });

    it('answers summaries with the fields of the row', async () => {
      const found = await store().searchWorkflows(
        searchCriteria({ workflowType: 'refunds', status: 'FAILED' }),
      );
      expect(found.results).toEqual([
        {
          workflowId: 'wf-3',
          workflowType: 'refunds',
          version: 1,
          status: 'FAILED',
          correlationId: null,
          startTime: T0 + 30,
          updateTime: null,
          endTime: T0 + 40,
          reasonForIncompletion: 'card declined',
          failedTaskNames: ['charge'],
        },
      ]);
    });

    it('filters by workflow type, status (one or any of a list) and correlation id', async () => {
      expect(await ids({ workflowType: 'refunds' })).toEqual(['wf-4', 'wf-3']);
      expect(await ids({ status: 'COMPLETED' })).toEqual(['wf-2']);
      expect(await ids({ status: ['RUNNING', 'PAUSED', 'TERMINATED'] })).toEqual(['wf-5', 'wf-4', 'wf-1']);
      expect(await ids({ correlationId: 'c-1' })).toEqual(['wf-2', 'wf-1']);
      expect(await ids({ workflowType: 'orders', status: ['COMPLETED', 'PAUSED'] })).toEqual(['wf-2']);
      expect(await ids({ workflowType: 'nothing' })).toEqual([]);
    });

    it('filters by a start time range, both ends inclusive', async () => {
      expect(await ids({ startTimeFrom: T0 + 20, startTimeTo: T0 + 40 })).toEqual(['wf-4', 'wf-3', 'wf-2']);
      expect(await ids({ startTimeFrom: T0 + 41 })).toEqual(['wf-5']);
      expect(await ids({ startTimeTo: T0 + 10 })).toEqual(['wf-1']);
    });

    it('matches free text in the id, correlation id, name, input and output, ignoring case', async () => {
      expect(await ids({ freeText: 'wf-3' })).toEqual(['wf-3']);
      expect(await ids({ freeText: 'C-2' })).toEqual(['wf-4']);
      expect(await ids({ freeText: 'REFUND' })).toEqual(['wf-4', 'wf-3']);
      expect(await ids({ freeText: 'lovelace' })).toEqual(['wf-1']);
      expect(await ids({ freeText: 'r-777' })).toEqual(['wf-2']);
      expect(await ids({ freeText: '*' })).toHaveLength(5);
      expect(await ids({ freeText: 'no such text' })).toEqual([]);
    });

    it('pages with start and size; totalHits counts every match', async () => {
      const page = await store().searchWorkflows(searchCriteria({ start: 1, size: 2 }));
      expect(page.totalHits).toBe(5);
      expect(page.results.map((s) => s.workflowId)).toEqual(['wf-4', 'wf-3']);
      const last = await store().searchWorkflows(
        searchCriteria({ start: 4, size: 2, sort: 'startTime:ASC' }),
      );
      expect(last.results.map((s) => s.workflowId)).toEqual(['wf-5']);
      const beyond = await store().searchWorkflows(searchCriteria({ start: 9 }));
      expect(beyond).toEqual({ totalHits: 5, results: [] });
      const none = await store().searchWorkflows(searchCriteria({ size: 0, status: 'RUNNING' }));
      expect(none).toEqual({ totalHits: 1, results: [] });
    });

    it('sees committed changes and forgets removed workflows', async () => {
      const stored = await store().getWorkflow('wf-1', { includeTasks: false });
      await store().commit({
        workflow: { ...stored!.workflow, status: 'COMPLETED', endTime: T0 + 99 },
        expectedVersion: stored!.version,
        tasks: [],
        queue: [],
      });
      expect(await ids({ status: 'COMPLETED' })).toEqual(['wf-2', 'wf-1']);
      await store().removeWorkflow('wf-2');
      expect(await ids({ status: 'COMPLETED' })).toEqual(['wf-1']);
      expect(await ids({ freeText: 'r-777' })).toEqual([]);
      expect((await store().searchWorkflows(searchCriteria())).totalHits).toBe(4);
    });
  });
}
