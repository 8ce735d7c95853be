/**
 * The demo behind `npm run demo`: order fulfilment as a Conductor workflow run by in-process workers, kept in a
 * SQLite file in the working folder (`baton-demo.db`), so a second run finds the first run's history.
 *
 *   validate → price (INLINE) → FORK(charge payment ‖ reserve stock) → JOIN → SWITCH on stock
 *     in stock: ship → receipt (optional)      out of stock: TERMINATE(FAILED) → failure workflow refunds
 *
 * The payment gateway is flaky, so retries show; progress is printed as workflows move, then a summary.
 */
import { sqlite } from '../adapters/sqlite/index.js';
import { Engine, type Task, TerminalError, type Workflow, type WorkflowDef } from '../index.js';

const ORDERS = 12;
const DATABASE = 'baton-demo.db';
const backend = sqlite({ path: DATABASE });
const engine = new Engine({ ...backend });

// Definitions are registered on every run; the second run replaces the first run's copies.
const define = (def: WorkflowDef) => engine.registerWorkflowDef(def, { overwrite: true });

const history = await engine.searchWorkflows({ workflowType: 'order_fulfilment', size: 1 });
console.log(
  history.totalHits > 0
    ? `${DATABASE}: ${history.totalHits} orders from earlier runs are on file (delete the file to start afresh).`
    : `${DATABASE}: a new database.`,
);

await engine.registerTaskDefs([
  { name: 'validate_order', retryCount: 0, responseTimeoutSeconds: 10 },
  // The payment gateway is flaky: retried up to 3 times, 1 s apart.
  {
    name: 'charge_payment',
    retryCount: 3,
    retryLogic: 'FIXED',
    retryDelaySeconds: 1,
    responseTimeoutSeconds: 10,
  },
  { name: 'reserve_stock', retryCount: 1, retryDelaySeconds: 1, responseTimeoutSeconds: 10 },
  { name: 'ship_order', retryCount: 2, retryDelaySeconds: 1, responseTimeoutSeconds: 10 },
  { name: 'send_receipt', retryCount: 0, responseTimeoutSeconds: 10 },
  { name: 'refund_payment', retryCount: 2, retryDelaySeconds: 1, responseTimeoutSeconds: 10 },
]);

await define({
  name: 'order_compensation',
  version: 1,
  description: 'Refunds the payment of an order that could not be fulfilled',
  tasks: [
    {
      name: 'refund_payment',
      taskReferenceName: 'refund',
      inputParameters: {
        orderId: '${workflow.input.orderId}',
        paymentId: '${workflow.input.failedWorkflow.output.paymentId}',
        reason: '${workflow.input.reason}',
      },
    },
  ],
});

await define({
  name: 'order_fulfilment',
  version: 1,
  description:
    'validate → price → FORK(charge, reserve) → JOIN → SWITCH(in stock: ship; else fail and refund)',
  failureWorkflow: 'order_compensation',
  tasks: [
    {
      name: 'validate_order',
      taskReferenceName: 'validate',
      inputParameters: { order: '${workflow.input}' },
    },
    {
      name: 'price',
      taskReferenceName: 'price',
      type: 'INLINE',
      inputParameters: {
        evaluatorType: 'javascript',
        items: '${workflow.input.items}',
        expression:
          'function total() { const prices = { book: 12, lamp: 40, chair: 95 };' +
          ' return $.items.reduce((sum, item) => sum + (prices[item] ?? 10), 0); } total();',
      },
    },
    {
      name: 'fulfil',
      taskReferenceName: 'fulfil',
      type: 'FORK_JOIN',
      forkTasks: [
        [
          {
            name: 'charge_payment',
            taskReferenceName: 'charge',
            inputParameters: { orderId: '${workflow.input.orderId}', amount: '${price.output.result}' },
          },
        ],
        [
          {
            name: 'reserve_stock',
            taskReferenceName: 'reserve',
            inputParameters: { items: '${workflow.input.items}' },
          },
        ],
      ],
    },
    { name: 'join', taskReferenceName: 'fulfil_join', type: 'JOIN', joinOn: ['charge', 'reserve'] },
    {
      name: 'stock_check',
      taskReferenceName: 'stock_check',
      type: 'SWITCH',
      evaluatorType: 'value-param',
      expression: 'inStock',
      inputParameters: { inStock: '${reserve.output.inStock}' },
      decisionCases: {
        true: [
          {
            name: 'ship_order',
            taskReferenceName: 'ship',
            inputParameters: { orderId: '${workflow.input.orderId}', address: '${workflow.input.address}' },
          },
        ],
      },
      defaultCase: [
        {
          name: 'out_of_stock',
          taskReferenceName: 'out_of_stock',
          type: 'TERMINATE',
          inputParameters: {
            terminationStatus: 'FAILED',
            terminationReason: 'Out of stock',
            workflowOutput: { paymentId: '${charge.output.paymentId}' },
          },
        },
      ],
    },
    {
      name: 'send_receipt',
      taskReferenceName: 'receipt',
      optional: true,
      inputParameters: { email: '${workflow.input.email}', payment: '${charge.output.paymentId}' },
    },
  ],
  outputParameters: {
    total: '${price.output.result}',
    paymentId: '${charge.output.paymentId}',
    trackingNumber: '${ship.output.trackingNumber}',
    receiptSent: '${receipt.output.sent}',
  },
});

engine.registerWorker('validate_order', (task) => {
  const order = task.inputData.order as { items: string[]; orderId: string };
  if (!order.items?.length) throw new TerminalError(`Order ${order.orderId} has no items`);
});
engine.registerWorker(
  'charge_payment',
  async (task) => {
    await pause(20);
    if (Math.random() < 0.4) throw new Error('payment gateway timed out');
    return { outputData: { paymentId: `pay_${task.inputData.orderId}`, charged: task.inputData.amount } };
  },
  { concurrency: 4 },
);
engine.registerWorker('reserve_stock', async (task) => {
  await pause(10);
  const items = task.inputData.items as string[];
  return { outputData: { inStock: !items.includes('chair') || items.length < 3 } };
});
engine.registerWorker('ship_order', async (task) => {
  await pause(15);
  return { outputData: { trackingNumber: `TRK-${String(task.inputData.orderId).slice(-4)}` } };
});
engine.registerWorker('send_receipt', (task) => {
  if (!task.inputData.email) throw new Error('no e-mail address on the order');
  return { outputData: { sent: true } };
});
engine.registerWorker('refund_payment', (task) => {
  const { paymentId, orderId, reason } = task.inputData;
  // An order that failed before its charge has nothing to refund.
  if (!paymentId) {
    console.log(`  ↺ nothing was charged, no refund (${orderId}: ${reason})`);
    return { outputData: { refunded: false } };
  }
  console.log(`  ↺ refunded ${paymentId} (${orderId}: ${reason})`);
  return { outputData: { refunded: true } };
});

engine.on('task.failed', (task: Task) => {
  console.log(
    `  ✗ [${task.correlationId}] ${task.referenceTaskName} failed (attempt ${task.retryCount + 1}): ${task.reasonForIncompletion}`,
  );
});
engine.on('workflow.completed', (wf) => {
  if (wf.workflowName === 'order_fulfilment')
    console.log(`✓ ${wf.input.orderId} completed: ${JSON.stringify(wf.output)}`);
});
engine.on('workflow.failed', (wf) =>
  console.log(`✗ ${wf.input.orderId} failed: ${wf.reasonForIncompletion}`),
);

await engine.start();
console.log(`Starting ${ORDERS} orders…`);
const started = performance.now();
const ids = await Promise.all(
  Array.from({ length: ORDERS }, (_, i) =>
    engine.startWorkflow({
      name: 'order_fulfilment',
      correlationId: `order-${1000 + i}`,
      input: {
        orderId: `order-${1000 + i}`,
        items: i % 7 === 6 ? [] : ['book', 'lamp', 'chair'].slice(0, 1 + (i % 3)),
        address: `${i + 1} Main Street`,
        email: i % 5 === 4 ? null : `customer${i}@example.com`,
      },
    }),
  ),
);
const results = await Promise.all(ids.map((id) => engine.waitForWorkflow(id, { timeoutMs: 60_000 })));
const compensations = await Promise.all(results.map(compensationOf));
await engine.stop();
await backend.queue.close();
await backend.store.close();

const count = (status: string) => results.filter((w) => w.status === status).length;
const retries = results.flatMap((w) => w.tasks).filter((t) => t.retryCount > 0).length;
const noReceipt = results.filter((w) => w.tasks.some((t) => t.status === 'COMPLETED_WITH_ERRORS')).length;
console.log(
  `\nSummary: ${results.length} orders in ${Math.round(performance.now() - started)} ms: ` +
    `${count('COMPLETED')} completed (${noReceipt} without a receipt), ${count('FAILED')} failed ` +
    `(${compensations.filter((c) => c?.output.refunded).length} refunds by order_compensation); ${retries} task retries.`,
);

/** The failure workflow the engine started for a failed order, once it has run. */
async function compensationOf(wf: Workflow): Promise<Workflow | null> {
  const id = wf.output['conductor.failure_workflow'];
  return typeof id === 'string' ? engine.waitForWorkflow(id, { timeoutMs: 10_000 }) : null;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
