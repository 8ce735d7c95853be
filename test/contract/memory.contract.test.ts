import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { describeQueueContract } from '../../src/testing/queue-contract.js';
import { describeStoreContract } from '../../src/testing/store-contract.js';

describeStoreContract('memory', () => new MemoryStore());
describeQueueContract('memory', () => new MemoryQueue());
