import { ConflictError, NotFoundError } from '../errors.js';
import { type ResolvedTaskDef, type TaskDef, withTaskDefDefaults } from '../model/task-def.js';
import { validateTaskDef, validateTaskDefs, validateWorkflowDef } from '../model/validation/index.js';
import type { WorkflowDef } from '../model/workflow-def.js';
import type { Store } from '../store/store.js';
import type { TaskTypeRegistry } from '../tasks/registry.js';
import { prepareDef, workerStepNames } from './prepare-def.js';

/**
 * Task and workflow definitions: validation on the way in, and a cache of prepared definitions (TaskDefs
 * embedded) so starting a workflow costs no store reads. Any change made through this engine clears the cache.
 */
export class Definitions {
  readonly #store: Store;
  readonly #taskTypes: TaskTypeRegistry;
  readonly #clock: () => number;
  #prepared = new Map<string, WorkflowDef>();

  constructor(store: Store, taskTypes: TaskTypeRegistry, clock: () => number) {
    this.#store = store;
    this.#taskTypes = taskTypes;
    this.#clock = clock;
  }

  async registerTaskDefs(defs: unknown): Promise<void> {
    const valid = validateTaskDefs(defs);
    const now = this.#clock();
    await this.#store.saveTaskDefs(valid.map((d) => ({ ...d, createTime: d.createTime ?? now })));
    this.#prepared.clear();
  }

  async updateTaskDef(def: unknown): Promise<void> {
    const valid = validateTaskDef(def);
    if (!(await this.#store.getTaskDef(valid.name)))
      throw new NotFoundError(`Task definition ${valid.name} not found`);
    await this.#store.saveTaskDefs([{ ...valid, updateTime: this.#clock() }]);
    this.#prepared.clear();
  }

  async getTaskDef(name: string): Promise<ResolvedTaskDef> {
    const def = await this.#store.getTaskDef(name);
    if (!def) throw new NotFoundError(`Task definition ${name} not found`);
    return withTaskDefDefaults(def);
  }

  async listTaskDefs(): Promise<ResolvedTaskDef[]> {
    return (await this.#store.listTaskDefs()).map(withTaskDefDefaults);
  }

  async removeTaskDef(name: string): Promise<void> {
    if (!(await this.#store.removeTaskDef(name)))
      throw new NotFoundError(`Task definition ${name} not found`);
    this.#prepared.clear();
  }

  async registerWorkflowDef(def: unknown, overwrite: boolean): Promise<void> {
    const valid = validateWorkflowDef(def);
    const now = this.#clock();
    const stored: WorkflowDef = {
      ...valid,
      version: valid.version ?? 1,
      schemaVersion: valid.schemaVersion ?? 2,
    };
    if (!overwrite && (await this.#store.getWorkflowDef(stored.name, stored.version))) {
      throw new ConflictError(`Workflow definition ${stored.name} version ${stored.version} already exists`);
    }
    await this.#store.saveWorkflowDef({ ...stored, createTime: stored.createTime ?? now }, overwrite);
    this.#prepared.clear();
  }

  async getWorkflowDef(name: string, version?: number): Promise<WorkflowDef> {
    const def = await this.#store.getWorkflowDef(name, version);
    if (!def) {
      throw new NotFoundError(
        `Workflow definition ${name}${version === undefined ? '' : ` version ${version}`} not found`,
      );
    }
    return def;
  }

  async listWorkflowDefs(): Promise<WorkflowDef[]> {
    return this.#store.listWorkflowDefs();
  }

  async removeWorkflowDef(name: string, version: number): Promise<void> {
    if (!(await this.#store.removeWorkflowDef(name, version))) {
      throw new NotFoundError(`Workflow definition ${name} version ${version} not found`);
    }
    this.#prepared.clear();
  }

  /** The registered definition (latest when `version` is absent) with its TaskDefs embedded, cached. */
  async preparedDef(name: string, version?: number | null): Promise<WorkflowDef> {
    const key = `${name}\u0000${version ?? ''}`;
    const cached = this.#prepared.get(key);
    if (cached) return cached;
    const prepared = await this.prepare(await this.getWorkflowDef(name, version ?? undefined));
    this.#prepared.set(key, prepared);
    return prepared;
  }

  /** Embeds the registered TaskDefs of a definition's worker steps. */
  async prepare(def: WorkflowDef): Promise<WorkflowDef> {
    const taskDefs = new Map<string, TaskDef | null>();
    for (const name of workerStepNames(def, this.#taskTypes))
      taskDefs.set(name, await this.#store.getTaskDef(name));
    return prepareDef(def, taskDefs, this.#taskTypes);
  }
}
