/**
 * How a value is written into a string that embeds it (`"id-${workflow.input.x}"`). Conductor uses Java's
 * toString; Baton deliberately writes maps and lists as compact JSON (DESIGN 3a). A value JSON cannot
 * write (a cycle, a BigInt inside) renders as "null", like any other evaluation error.
 */
export function renderEmbedded(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}
