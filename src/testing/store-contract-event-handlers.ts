import { describe, expect, it } from 'vitest';
import { BatonError } from '../errors.js';
import type { EventHandler } from '../model/event-handler.js';
import type { Store } from '../store/store.js';

function byName(handlers: readonly EventHandler[]): string[] {
  return handlers.map((h) => h.name).sort();
}

/** The contract of event handler storage, registered inside `describeStoreContract`. */
export function describeEventHandlerContract(store: () => Store): void {
  describe('event handlers', () => {
    const approve: EventHandler = {
      name: 'approve',
      event: 'conductor:approvals',
      condition: '$.approved === true',
      evaluatorType: 'javascript',
      active: true,
      actions: [
        {
          action: 'complete_task',
          complete_task: {
            workflowId: '${workflowId}',
            taskRefName: 'wait_ref',
            output: { by: '${approver}', unicode: 'héllo 🚀', nothing: null },
          },
          expandInlineJSON: false,
        },
      ],
    };
    const start: EventHandler = {
      name: 'start',
      event: 'sqs:orders',
      active: false,
      actions: [{ action: 'start_workflow', start_workflow: { name: 'order', input: { id: '${id}' } } }],
    };

    it('saves handlers and gets them by name (JSON-equal); an unknown name is null', async () => {
      await store().saveEventHandler(approve, false);
      expect(await store().getEventHandler('approve')).toEqual(JSON.parse(JSON.stringify(approve)));
      expect(await store().getEventHandler('nope')).toBeNull();
    });

    it('lists every handler, or those of one event', async () => {
      expect(await store().listEventHandlers()).toEqual([]);
      await store().saveEventHandler(approve, false);
      await store().saveEventHandler(start, false);
      expect(byName(await store().listEventHandlers())).toEqual(['approve', 'start']);
      expect(byName(await store().listEventHandlers('sqs:orders'))).toEqual(['start']);
      expect(await store().listEventHandlers('sqs:other')).toEqual([]);
    });

    it('refuses an existing name without overwrite (CONFLICT) and replaces it with overwrite', async () => {
      await store().saveEventHandler(approve, false);
      const changed: EventHandler = { ...approve, event: 'conductor:other', active: false };
      const error = await store()
        .saveEventHandler(changed, false)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(BatonError.is(error, 'CONFLICT')).toBe(true);
      expect((await store().getEventHandler('approve'))?.event).toBe('conductor:approvals');
      await store().saveEventHandler(changed, true);
      expect(await store().getEventHandler('approve')).toEqual(changed);
      expect(await store().listEventHandlers('conductor:approvals')).toEqual([]);
    });

    it('removes a handler (true); false for an unknown one', async () => {
      await store().saveEventHandler(approve, false);
      expect(await store().removeEventHandler('approve')).toBe(true);
      expect(await store().removeEventHandler('approve')).toBe(false);
      expect(await store().getEventHandler('approve')).toBeNull();
      expect(await store().listEventHandlers()).toEqual([]);
    });
  });
}
