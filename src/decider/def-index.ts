import type { WorkflowDef, WorkflowTask } from '../model/workflow-def.js';

/** How a list of steps relates to the step that owns it. */
type ListOwnerKind = 'root' | 'branch' | 'fork' | 'loop';

interface Position {
  readonly list: readonly WorkflowTask[];
  readonly index: number;
  readonly owner: WorkflowTask | null;
  readonly ownerKind: ListOwnerKind;
}

/**
 * A definition's steps indexed by reference name, with Conductor's navigation (`WorkflowDef.getNextTask`).
 * Built once per definition object and cached: a decide never walks the definition tree.
 */
export class DefIndex {
  readonly #positions = new Map<string, Position>();
  readonly def: WorkflowDef;

  constructor(def: WorkflowDef) {
    this.def = def;
    this.#indexList(def.tasks, null, 'root');
  }

  /** The step with this reference name (loop suffixes `__N` are not part of definition refs). */
  step(ref: string): WorkflowTask | undefined {
    const pos = this.#positions.get(ref);
    return pos ? pos.list[pos.index] : undefined;
  }

  /** The step that owns the list `ref` sits in (SWITCH, FORK_JOIN, DO_WHILE), or null at the top level. */
  owner(ref: string): WorkflowTask | null {
    return this.#positions.get(ref)?.owner ?? null;
  }

  /** The DO_WHILE whose body contains `ref` (at any depth), or null. */
  loopOf(ref: string): WorkflowTask | null {
    let pos = this.#positions.get(ref);
    while (pos?.owner) {
      if (pos.ownerKind === 'loop') return pos.owner;
      pos = this.#positions.get(pos.owner.taskReferenceName);
    }
    return null;
  }

  /** The reference name a task of `step` gets in loop iteration `iteration` (`ref__N` inside a DO_WHILE body). */
  refFor(step: WorkflowTask, iteration: number): string {
    return iteration > 0 && this.loopOf(step.taskReferenceName)
      ? `${step.taskReferenceName}__${iteration}`
      : step.taskReferenceName;
  }

  /** True when `ref` sits directly in the top-level task list. */
  isTopLevel(ref: string): boolean {
    return this.#positions.get(ref)?.ownerKind === 'root';
  }

  /**
   * The step after `ref` in Conductor's navigation: the next one in its list; after a SWITCH branch's last step,
   * the step after the SWITCH; after a fork branch's last step, the JOIN that follows the fork; after a loop
   * body's last step, the DO_WHILE itself; null at the end of the workflow.
   */
  next(ref: string): WorkflowTask | null {
    const pos = this.#positions.get(ref);
    if (!pos) return null;
    if (pos.index + 1 < pos.list.length) return pos.list[pos.index + 1];
    if (!pos.owner) return null;
    if (pos.ownerKind === 'loop') return pos.owner;
    return this.next(pos.owner.taskReferenceName);
  }

  /** The last step of the top-level list, whose completion ends the workflow. */
  get lastTopLevel(): WorkflowTask | undefined {
    return this.def.tasks[this.def.tasks.length - 1];
  }

  #indexList(list: readonly WorkflowTask[], owner: WorkflowTask | null, ownerKind: ListOwnerKind): void {
    list.forEach((step, index) => {
      this.#positions.set(step.taskReferenceName, { list, index, owner, ownerKind });
      this.#indexChildren(step);
    });
  }

  #indexChildren(step: WorkflowTask): void {
    for (const branch of Object.values(step.decisionCases ?? {})) this.#indexList(branch, step, 'branch');
    if (step.defaultCase) this.#indexList(step.defaultCase, step, 'branch');
    for (const branch of step.forkTasks ?? []) this.#indexList(branch, step, 'fork');
    if (step.loopOver) this.#indexList(step.loopOver, step, 'loop');
  }
}

const cache = new WeakMap<WorkflowDef, DefIndex>();

/** The index of a definition, built on first use. Definitions are immutable once a workflow runs them. */
export function defIndex(def: WorkflowDef): DefIndex {
  let index = cache.get(def);
  if (!index) {
    index = new DefIndex(def);
    cache.set(def, index);
  }
  return index;
}
