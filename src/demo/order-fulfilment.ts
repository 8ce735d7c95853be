/**
 * The demo behind `npm run demo`: an order-fulfilment workflow run by in-process workers, one of them flaky so
 * retries show, printing progress as workflows move and a summary at the end.
 */
import { Engine, type Task, TerminalError } from '../index.js';

const ORDERS = 12;

const engine = new Engine();

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
]);

await engine.registerWorkflowDef({
  name: 'order_fulfilment',
  version: 1,
  description: 'validate → charge → reserve stock → ship → receipt (optional)',
  tasks: [
    {
      name: 'validate_order',
      taskReferenceName: 'validate',
      inputParameters: { order: '${workflow.input}' },
    },
    {
      name: 'charge_payment',
      taskReferenceName: 'charge',
      inputParameters: { orderId: '${workflow.input.orderId}', amount: '${validate.output.total}' },
    },
    {
      name: 'reserve_stock',
      taskReferenceName: 'reserve',
      inputParameters: { items: '${workflow.input.items}' },
    },
    {
      name: 'ship_order',
      taskReferenceName: 'ship',
      inputParameters: { orderId: '${workflow.input.orderId}', address: '${workflow.input.address}' },
    },
    {
      name: 'send_receipt',
      taskReferenceName: 'receipt',
      optional: true,
      inputParameters: { email: '${workflow.input.email}', payment: '${charge.output.paymentId}' },
    },
  ],
  outputParameters: {
    paymentId: '${charge.output.paymentId}',
    trackingNumber: '${ship.output.trackingNumber}',
    receiptSent: '${receipt.output.sent}',
  },
});

const prices: Record<string, number> = { book: 12, lamp: 40, chair: 95 };

engine.registerWorker('validate_order', (task) => {
  const items = task.inputData.order as { items: string[]; orderId: string };
  if (!items.items?.length) throw new TerminalError(`Order ${items.orderId} has no items`);
  return { outputData: { total: items.items.reduce((sum, item) => sum + (prices[item] ?? 10), 0) } };
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
  return { outputData: { reserved: task.inputData.items } };
});
engine.registerWorker('ship_order', async (task) => {
  await pause(15);
  return { outputData: { trackingNumber: `TRK-${String(task.inputData.orderId).slice(-4)}` } };
});
engine.registerWorker('send_receipt', (task) => {
  if (!task.inputData.email) throw new Error('no e-mail address on the order');
  return { outputData: { sent: true } };
});

engine.on('task.failed', (task: Task) => {
  console.log(
    `  ✗ ${label(task)} ${task.referenceTaskName} failed (attempt ${task.retryCount + 1}): ${task.reasonForIncompletion}`,
  );
});
engine.on('workflow.completed', (wf) => {
  console.log(`✓ ${wf.input.orderId} completed: ${JSON.stringify(wf.output)}`);
});
engine.on('workflow.failed', (wf) =>
  console.log(`✗ ${wf.input.orderId} failed: ${wf.reasonForIncompletion}`),
);

await engine.start();
console.log(`Starting ${ORDERS} orders…`);
const started = Date.now();
const ids = await Promise.all(
  Array.from({ length: ORDERS }, (_, i) =>
    engine.startWorkflow({
      name: 'order_fulfilment',
      correlationId: `order-${1000 + i}`,
      input: {
        orderId: `order-${1000 + i}`,
        items: i % 7 === 6 ? [] : Object.keys(prices).slice(0, 1 + (i % 3)),
        address: `${i + 1} Main Street`,
        email: i % 5 === 4 ? null : `customer${i}@example.com`,
      },
    }),
  ),
);
const results = await Promise.all(ids.map((id) => engine.waitForWorkflow(id, { timeoutMs: 60_000 })));
await engine.stop();

const count = (status: string) => results.filter((w) => w.status === status).length;
const retries = results.flatMap((w) => w.tasks).filter((t) => t.retryCount > 0).length;
console.log(
  `\nSummary: ${results.length} orders in ${Date.now() - started} ms — ${count('COMPLETED')} completed, ` +
    `${count('FAILED')} failed; ${retries} task retries; ` +
    `${results.filter((w) => w.tasks.some((t) => t.status === 'COMPLETED_WITH_ERRORS')).length} without receipt (optional step failed).`,
);

function label(task: Task): string {
  return `[${task.correlationId}]`;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
