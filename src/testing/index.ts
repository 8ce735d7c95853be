/**
 * Test helpers: `ManualClock` to drive the engine's time, and the shared contract suites every store and queue
 * adapter runs (they register vitest suites, so this entry point needs vitest installed).
 *
 * @example
 * ```ts
 * import { describeQueueContract, describeStoreContract } from 'baton-engine/testing';
 * describeStoreContract('my-store', () => new MyStore());
 * describeQueueContract('my-queue', () => new MyQueue());
 * ```
 * @module
 */
export { makeTask, makeWorkflow, makeWorkflowDef, T0 } from './fixtures.js';
export { ManualClock } from './manual-clock.js';
export { describeQueueContract } from './queue-contract.js';
export { describeStoreContract, type StoreContractOptions } from './store-contract.js';
