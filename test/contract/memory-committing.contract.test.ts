import { MemoryQueue } from '../../src/queue/memory-queue.js';
import type { Queue } from '../../src/queue/queue.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { WorkflowCommit } from '../../src/store/store.js';
import { describeStoreContract } from '../../src/testing/store-contract.js';

/**
 * A memory store that applies the queue ops of a commit to its paired memory queue right after the commit, in
 * the same synchronous step, as a transactional adapter would. It lets the contract's "queue ops in commits"
 * tests run (the plain memory store leaves queue ops to the engine).
 */
class CommittingMemoryStore extends MemoryStore {
  constructor(readonly queue: MemoryQueue) {
    super();
  }

  override commitsQueue(queue: Queue): boolean {
    return queue === this.queue;
  }

  override async commit(commit: WorkflowCommit): Promise<number> {
    const version = this.commitNow(commit);
    this.queue.applyNow(commit.queue);
    return version;
  }
}

let paired: MemoryQueue;
describeStoreContract(
  'memory store committing its queue',
  () => {
    paired = new MemoryQueue();
    return new CommittingMemoryStore(paired);
  },
  { queue: () => paired },
);
