import { type ExpressionPath, expressionPathFor } from './expression-path.js';
import { renderEmbedded } from './render.js';
import type { ResolutionContext } from './resolution-context.js';
import type { ExpressionNode, Template, TemplatePart } from './template.js';

/** Marks an expression Conductor leaves as written: `${CPEWF_TASK_ID}` when no task id is known. */
const UNRESOLVED: unique symbol = Symbol('unresolved');

/** The value of a compiled string: the raw value for a lone expression, else a string. */
export function evaluateTemplate(template: Template, context: ResolutionContext): unknown {
  switch (template.kind) {
    case 'literal':
      return template.text;
    case 'single': {
      const value = evaluateExpression(template.expression, context);
      return value === UNRESOLVED ? template.expression.literal : value;
    }
    case 'embedded':
      return renderParts(template.parts, context);
  }
}

function renderParts(parts: readonly TemplatePart[], context: ResolutionContext): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (typeof part === 'string') {
      out += part;
    } else {
      const value = evaluateExpression(part, context);
      out += value === UNRESOLVED ? part.literal : renderEmbedded(value);
    }
  }
  return out;
}

function evaluateExpression(node: ExpressionNode, context: ResolutionContext): unknown {
  // A nested `${}` is resolved first and its text becomes part of the outer path (Conductor's recursion).
  const path = node.path ?? expressionPathFor(renderParts(node.pathParts!, context));
  return evaluatePath(path, context);
}

/** Conductor's order: blank, then system parameters and environment variables, then the documents. */
function evaluatePath(path: ExpressionPath, context: ResolutionContext): unknown {
  if (path.blank) return '';
  const name = path.bareName;
  if (name !== null) {
    if (name === 'CPEWF_TASK_ID') return context.scope.taskId ?? UNRESOLVED;
    const value = context.scope.env?.(name);
    if (typeof value === 'string') return value;
  }
  return path.read(context.root(path.root));
}
