import { Engine } from '../../src/index.js';
import { backendOptions } from '../backends.js';

/** An engine on the benchmark's backend that stays quiet about expected warnings. */
export async function benchEngine(store: string): Promise<Engine> {
  return new Engine({ ...(await backendOptions(store)), logger: { warn() {}, error: console.error } });
}
