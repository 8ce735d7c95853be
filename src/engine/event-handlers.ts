import type { EventHandler } from '../model/event-handler.js';
import type { Store } from '../store/store.js';
import {
  type EventActionDeps,
  type EventMessage,
  expandInlineJson,
  runEventAction,
} from './event-actions.js';
import type { BusMessage } from './event-bus.js';

/** What event handling needs from the engine. */
export interface EventHandlerDeps extends EventActionDeps {
  readonly store: Pick<Store, 'getTask' | 'getWorkflow' | 'listEventHandlers'>;
  newId(): string;
  /** Evaluates JavaScript in the sandbox with `$` bound to `input`. */
  evaluate(script: string, input: Record<string, unknown>): Promise<unknown>;
  /** Registers in-flight work, for `idle()`. */
  track<T>(promise: Promise<T>): Promise<T>;
  reportError(error: unknown, context: string): void;
  /**
   * Resolves once the unit of work under way on a workflow (if any) has committed: an EVENT task publishes
   * before its workflow commits, and the actions must see that commit.
   */
  settled(workflowId: string): Promise<void>;
}

/**
 * Runs event handlers (Conductor's `DefaultEventProcessor`) for messages on the in-process event bus: for
 * each active handler of the message's event whose condition holds, its actions run in order, with their
 * parameters resolved against the payload.
 *
 * Handling is asynchronous, as in Conductor: a publisher (an EVENT task committing its workflow, or
 * `publishEvent`) does not wait for the actions, which may act on the publishing workflow itself. A payload
 * naming a `workflowInstanceId` (an EVENT task's does) is handled once that workflow's unit of work under way
 * has committed, so the actions see what the publisher just scheduled. `idle()` waits for the actions. A failed condition or action is reported to the logger and skips only itself; there is no
 * event-execution record and no redelivery (messages live in memory).
 */
export class EventHandlers {
  readonly #deps: EventHandlerDeps;

  constructor(deps: EventHandlerDeps) {
    this.#deps = deps;
  }

  /** Bus subscriber: starts handling the message in the background. */
  onMessage(message: BusMessage): void {
    this.#deps.track(this.handle(message)).catch(() => {});
  }

  /** Handles one message; resolves when every matching handler's actions have run. */
  async handle(message: BusMessage): Promise<void> {
    const deps = this.#deps;
    // An EVENT task's payload names its workflow, which is mid-commit while it publishes.
    const publisher = message.payload.workflowInstanceId;
    if (typeof publisher === 'string') await deps.settled(publisher);
    let handlers: EventHandler[];
    try {
      handlers = await deps.store.listEventHandlers(message.event);
    } catch (error) {
      deps.reportError(error, `loading the event handlers of ${message.event}`);
      return;
    }
    const active = handlers.filter((h) => h.active === true);
    if (active.length === 0) return;
    const event: EventMessage = { id: deps.newId(), event: message.event, payload: message.payload };
    for (const handler of active) {
      let matches: boolean;
      try {
        matches = await this.#conditionHolds(handler, message.payload);
      } catch (error) {
        deps.reportError(error, `evaluating the condition of event handler ${handler.name}`);
        continue;
      }
      if (!matches) continue;
      for (const [i, action] of handler.actions.entries()) {
        try {
          await runEventAction(action, event, deps);
        } catch (error) {
          deps.reportError(error, `running action ${i} (${action.action}) of event handler ${handler.name}`);
        }
      }
    }
  }

  /**
   * Conductor: no condition means true; `value-param` reads the payload's value named by the condition;
   * every other evaluator type runs the condition as JavaScript with `$` = the payload (JSON strings in it
   * expanded). True, or a number above 0, holds.
   */
  async #conditionHolds(handler: EventHandler, payload: Record<string, unknown>): Promise<boolean> {
    const condition = handler.condition;
    if (condition === null || condition === undefined || condition === '') return true;
    const expanded = expandInlineJson(payload) as Record<string, unknown>;
    const result =
      handler.evaluatorType === 'value-param'
        ? expanded[condition]
        : await this.#deps.evaluate(condition, expanded);
    return result === true || (typeof result === 'number' && result > 0);
  }
}
