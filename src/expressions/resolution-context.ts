import type { ExpressionScope } from './expression-scope.js';

/**
 * Per-call view of a scope. The caller builds documents lazily and may build a fresh one per call, so the
 * workflow document and the last task document are kept for the rest of one resolution: a task's inputs
 * usually read several fields of the same one or two roots.
 */
export class ResolutionContext {
  readonly scope: ExpressionScope;
  #workflow: Record<string, unknown> | undefined = undefined;
  #lastRef: string | undefined = undefined;
  #lastTask: Record<string, unknown> | undefined = undefined;

  constructor(scope: ExpressionScope) {
    this.scope = scope;
  }

  /** The document a path's first segment names: `workflow`, or a task reference name. */
  root(name: string): unknown {
    if (name === 'workflow') {
      this.#workflow ??= this.scope.workflow();
      return this.#workflow;
    }
    if (name !== this.#lastRef) {
      this.#lastTask = this.scope.task(name);
      this.#lastRef = name;
    }
    return this.#lastTask;
  }
}
