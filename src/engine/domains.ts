/**
 * How long after its last poll a worker still counts as polling a domain (Conductor's
 * `activeWorkerLastPollTimeout`, 10 s).
 */
export const ACTIVE_WORKER_LAST_POLL_MS = 10_000;

/**
 * Which task domains have live workers, for `taskToDomain` lists (`"*": "blue,green"`): a task goes to the
 * first domain of the list with a worker that polled `domain:taskType` in the last 10 s, else to the last
 * entry (see `domainFor`). A registered in-process worker of the domain counts as live while the engine runs,
 * whether or not it polled lately (push dispatch spares it the polls).
 *
 * Poll times are kept in this process only: with several engine processes, each sees its own pollers.
 */
export class DomainActivity {
  /** Queue name (`domain:taskType`) → time of its last poll. */
  readonly #lastPoll = new Map<string, number>();
  readonly #liveQueues: (queueName: string) => boolean;

  /** `liveQueues`: whether an in-process worker serves a queue now. */
  constructor(liveQueues: (queueName: string) => boolean) {
    this.#liveQueues = liveQueues;
  }

  /** Records a poll of a queue (with or without a task for the poller). */
  polled(queueName: string, now: number): void {
    this.#lastPoll.set(queueName, now);
  }

  /** Whether `domain` has a live worker for `taskType` at `now`. */
  isActive(taskType: string, domain: string, now: number): boolean {
    const queueName = `${domain}:${taskType}`;
    const last = this.#lastPoll.get(queueName);
    return (last !== undefined && now - last < ACTIVE_WORKER_LAST_POLL_MS) || this.#liveQueues(queueName);
  }
}
