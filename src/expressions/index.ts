export type { ExpressionScope } from './expression-scope.js';
export { readPath } from './read-path.js';
export { resolveParameters, resolveValue } from './resolve.js';
