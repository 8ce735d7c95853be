/** A message published on the in-process event bus (by an EVENT task or `publishEvent`). */
export interface BusMessage {
  /** The full event string as handlers name it, e.g. `conductor:approvals`. */
  readonly event: string;
  readonly payload: Record<string, unknown>;
}

type Subscriber = (message: BusMessage) => void | Promise<void>;

/**
 * The in-process event bus: EVENT tasks and `publishEvent` publish to it; event handlers subscribe. Delivery is
 * awaited, so a publisher knows its subscribers have seen the message.
 */
export class EventBus {
  readonly #subscribers = new Set<Subscriber>();

  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  async publish(message: BusMessage): Promise<void> {
    for (const subscriber of [...this.#subscribers]) await subscriber(message);
  }
}
