import { createHash } from 'node:crypto';
import type { WorkflowDef } from '../../model/workflow-def.js';
import { deepFreeze } from '../../util/deep-freeze.js';

/** A definition snapshot as stored: its JSON text and the SHA-256 (hex) of that text, its key. */
export interface Snapshot {
  readonly hash: string;
  readonly json: string;
}

/** How many parsed snapshots stay cached (least recently loaded ones go first). */
const CAPACITY = 500;

/**
 * The definition snapshots of workflow rows (`workflowDefinition`), which the store keeps once per distinct
 * content in `workflow_def_snapshots` rather than in every row, and the caches that keep them off the hot path:
 *
 * - {@link of} serialises and hashes a definition once per object. The engine gives every workflow it starts
 *   the same prepared, deep-frozen definition, and loaded workflows carry the cached object below, so a commit
 *   normally finds its snapshot in a WeakMap. Only frozen objects are remembered: a definition that might still
 *   change is hashed each time.
 * - {@link parsed} returns the object of a hash from a bounded LRU, so every load of the workflows of one
 *   definition returns the same object (and the decider's per-definition index, a WeakMap on that object, is
 *   built once). That object is the first frozen one {@link of} saw with that content (the engine's prepared
 *   definition), or else the stored JSON parsed and deep-frozen.
 */
export class DefinitionSnapshots {
  readonly #byObject = new WeakMap<WorkflowDef, Snapshot>();
  readonly #byHash = new Map<string, WorkflowDef>();

  /** The snapshot of a definition: its JSON and hash. */
  of(def: WorkflowDef): Snapshot {
    const known = this.#byObject.get(def);
    if (known) return known;
    const json = JSON.stringify(def);
    const snapshot = { hash: createHash('sha256').update(json).digest('hex'), json };
    if (Object.isFrozen(def)) {
      this.#byObject.set(def, snapshot);
      if (!this.#byHash.has(snapshot.hash)) this.#remember(snapshot.hash, def);
    }
    return snapshot;
  }

  /**
   * The definition stored under `hash`, deep-frozen and shared by every caller; `load` reads its JSON text from
   * the database on a cache miss (undefined when there is no such snapshot).
   */
  parsed(hash: string, load: (hash: string) => string | undefined): WorkflowDef | undefined {
    const cached = this.#byHash.get(hash);
    if (cached) {
      // Most recently used last: Map keeps insertion order.
      this.#byHash.delete(hash);
      this.#byHash.set(hash, cached);
      return cached;
    }
    const json = load(hash);
    if (json === undefined) return undefined;
    const def = deepFreeze(JSON.parse(json) as WorkflowDef);
    this.#byObject.set(def, { hash, json });
    this.#remember(hash, def);
    return def;
  }

  #remember(hash: string, def: WorkflowDef): void {
    this.#byHash.set(hash, def);
    if (this.#byHash.size > CAPACITY) this.#byHash.delete(this.#byHash.keys().next().value as string);
  }
}
