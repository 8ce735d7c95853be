import type { EngineOptions } from '../src/index.js';

/** The store/queue a benchmark runs on (`--store`), as engine options. */
export async function backendOptions(store: string): Promise<EngineOptions> {
  switch (store) {
    case 'memory':
      return {};
    default:
      throw new Error(`Unknown --store ${store} (available: memory)`);
  }
}
