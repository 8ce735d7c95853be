import type { ExpressionPath } from './expression-path.js';

/** One `${...}` occurrence in a string. */
export interface ExpressionNode {
  /** The compiled path when the text has no nested `${}` (the usual case). */
  readonly path: ExpressionPath | null;
  /** Otherwise the parts that render the path text at evaluation time, inner expressions first. */
  readonly pathParts: readonly TemplatePart[] | null;
  /** The text left in place when the expression does not resolve (CPEWF_TASK_ID without a task id). */
  readonly literal: string;
}

/** Literal text or an expression. */
export type TemplatePart = string | ExpressionNode;

/** A string parameter, compiled once. */
export type Template =
  /** No expression, only escapes (`$${x}` -> `${x}`). */
  | { readonly kind: 'literal'; readonly text: string }
  /** Exactly one expression and nothing else: resolves to the raw typed value. */
  | { readonly kind: 'single'; readonly expression: ExpressionNode }
  /** Expressions embedded in text: resolves to a string. */
  | { readonly kind: 'embedded'; readonly parts: readonly TemplatePart[] };
