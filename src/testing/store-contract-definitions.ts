import { describe, expect, it } from 'vitest';
import type { TaskDef } from '../model/task-def.js';
import type { WorkflowDef } from '../model/workflow-def.js';
import type { Store } from '../store/store.js';
import { makeWorkflowDef } from './fixtures.js';
import { expectBatonError } from './store-contract-assertions.js';

function byName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function defKeys(defs: readonly WorkflowDef[]): string[] {
  return defs.map((d) => `${d.name}@${d.version}`).sort();
}

/** The contract of task and workflow definitions, registered inside `describeStoreContract`. */
export function describeDefinitionsContract(store: () => Store): void {
  describe('task definitions', () => {
    const charge: TaskDef = { name: 'charge', retryCount: 2, retryLogic: 'FIXED', timeoutSeconds: 60 };
    const ship: TaskDef = { name: 'ship', description: 'ships the order', responseTimeoutSeconds: 30 };

    it('saves definitions and gets them by name; an unknown name is null', async () => {
      await store().saveTaskDefs([charge, ship]);
      expect(await store().getTaskDef('charge')).toEqual(charge);
      expect(await store().getTaskDef('ship')).toEqual(ship);
      expect(await store().getTaskDef('unknown')).toBeNull();
    });

    it('replaces a definition of the same name', async () => {
      await store().saveTaskDefs([charge]);
      const replacement: TaskDef = { name: 'charge', retryCount: 7, ownerEmail: 'ops@example.com' };
      await store().saveTaskDefs([replacement]);
      expect(await store().getTaskDef('charge')).toEqual(replacement);
      expect(await store().listTaskDefs()).toHaveLength(1);
    });

    it('lists every definition (empty at first)', async () => {
      expect(await store().listTaskDefs()).toEqual([]);
      await store().saveTaskDefs([ship]);
      await store().saveTaskDefs([charge]);
      expect(byName(await store().listTaskDefs())).toEqual([charge, ship]);
    });

    it('removes a definition (true), and reports false for an unknown one', async () => {
      await store().saveTaskDefs([charge, ship]);
      expect(await store().removeTaskDef('charge')).toBe(true);
      expect(await store().getTaskDef('charge')).toBeNull();
      expect(await store().listTaskDefs()).toEqual([ship]);
      expect(await store().removeTaskDef('charge')).toBe(false);
      expect(await store().removeTaskDef('unknown')).toBe(false);
    });
  });

  describe('workflow definitions', () => {
    const v = (version: number, overrides: Partial<WorkflowDef> = {}) =>
      makeWorkflowDef({ name: 'order', version, description: `order v${version}`, ...overrides });

    it('saves a definition and gets it by name and version; unknown ones are null', async () => {
      await store().saveWorkflowDef(v(1), false);
      expect(await store().getWorkflowDef('order', 1)).toEqual(v(1));
      expect(await store().getWorkflowDef('order', 2)).toBeNull();
      expect(await store().getWorkflowDef('unknown', 1)).toBeNull();
      expect(await store().getWorkflowDef('unknown')).toBeNull();
    });

    it('throws ConflictError (CONFLICT) for an existing name+version without overwrite, keeping the original', async () => {
      await store().saveWorkflowDef(v(1), false);
      await expectBatonError(
        () => store().saveWorkflowDef(v(1, { description: 'changed' }), false),
        'CONFLICT',
      );
      expect(await store().getWorkflowDef('order', 1)).toEqual(v(1));
    });

    it('replaces an existing name+version with overwrite', async () => {
      await store().saveWorkflowDef(v(1), false);
      const changed = v(1, { description: 'changed', timeoutSeconds: 30 });
      await store().saveWorkflowDef(changed, true);
      expect(await store().getWorkflowDef('order', 1)).toEqual(changed);
      expect(await store().listWorkflowDefs()).toHaveLength(1);
    });

    it('saves a new definition with overwrite as well', async () => {
      await store().saveWorkflowDef(v(3), true);
      expect(await store().getWorkflowDef('order', 3)).toEqual(v(3));
    });

    it('returns the highest version (numerically) when no version is given', async () => {
      for (const version of [2, 10, 9, 1]) await store().saveWorkflowDef(v(version), false);
      await store().saveWorkflowDef(makeWorkflowDef({ name: 'other', version: 50 }), false);
      expect(await store().getWorkflowDef('order')).toEqual(v(10));
    });

    it('lists every version of every definition (empty at first)', async () => {
      expect(await store().listWorkflowDefs()).toEqual([]);
      await store().saveWorkflowDef(v(1), false);
      await store().saveWorkflowDef(v(2), false);
      await store().saveWorkflowDef(makeWorkflowDef({ name: 'refund', version: 1 }), false);
      expect(defKeys(await store().listWorkflowDefs())).toEqual(['order@1', 'order@2', 'refund@1']);
    });

    it('removes one version (true); the latest falls back; false for unknown ones', async () => {
      await store().saveWorkflowDef(v(1), false);
      await store().saveWorkflowDef(v(2), false);
      expect(await store().removeWorkflowDef('order', 2)).toBe(true);
      expect(await store().getWorkflowDef('order', 2)).toBeNull();
      expect(await store().getWorkflowDef('order')).toEqual(v(1));
      expect(await store().removeWorkflowDef('order', 2)).toBe(false);
      expect(await store().removeWorkflowDef('unknown', 1)).toBe(false);
      expect(await store().removeWorkflowDef('order', 1)).toBe(true);
      expect(await store().getWorkflowDef('order')).toBeNull();
      expect(await store().listWorkflowDefs()).toEqual([]);
    });

    it('can save a removed version again without overwrite', async () => {
      await store().saveWorkflowDef(v(1), false);
      await store().removeWorkflowDef('order', 1);
      await store().saveWorkflowDef(v(1, { description: 'again' }), false);
      expect(await store().getWorkflowDef('order', 1)).toEqual(v(1, { description: 'again' }));
    });
  });
}
