import { expressionPathFor } from './expression-path.js';
import type { ExpressionNode, Template, TemplatePart } from './template.js';

const DOLLAR = 0x24;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Compiles a string that contains `${` into literal text and expression nodes. */
export function compileTemplate(text: string): Template {
  const parts = parseParts(text);
  if (parts.length === 1 && typeof parts[0] !== 'string') return { kind: 'single', expression: parts[0] };
  if (parts.every((part) => typeof part === 'string')) return { kind: 'literal', text: parts.join('') };
  return { kind: 'embedded', parts };
}

/**
 * Splits text into literals and `${...}` expressions, following Conductor's matcher:
 * - `$${` is an escape, never an expression; it renders as `${` (Conductor's final `$${` -> `${` rewrite),
 *   while a `${...}` later inside the escaped text is still an expression.
 * - An expression ends at the brace that balances its `${`, so `${a.${b}}` is one expression.
 * - A `${` without a balancing `}` is plain text, and scanning resumes right after its `$`.
 */
export function parseParts(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let literalStart = 0;
  let from = 0;
  for (;;) {
    const at = text.indexOf('${', from);
    if (at === -1) break;
    if (at > 0 && text.charCodeAt(at - 1) === DOLLAR) {
      literal += `${text.slice(literalStart, at - 1)}\${`;
      literalStart = from = at + 2;
      continue;
    }
    const close = findClosingBrace(text, at + 2);
    if (close === -1) {
      from = at + 1;
      continue;
    }
    literal += text.slice(literalStart, at);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(compileExpression(text.slice(at, close + 1)));
    literalStart = from = close + 1;
  }
  literal += text.slice(literalStart);
  if (literal !== '') parts.push(literal);
  return parts;
}

function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return i;
  }
  return -1;
}

/** `source` is the whole `${...}` text. */
function compileExpression(source: string): ExpressionNode {
  const inner = source.slice(2, -1);
  const literal = source.replaceAll('$${', '${');
  if (!inner.includes('${')) return { path: expressionPathFor(inner), pathParts: null, literal };
  return { path: null, pathParts: parseParts(inner), literal };
}
