import { BoundedCache } from './bounded-cache.js';
import { compileTemplate } from './compile-template.js';
import type { Template } from './template.js';

const templates = new BoundedCache<Template>(10_000);

/** Longer strings are compiled on each use rather than pinned in memory: they are rare and seldom repeat. */
const MAX_CACHED_LENGTH = 4_096;

/** The compiled form of a string that contains `${`, compiled once per distinct definition string. */
export function templateFor(text: string): Template {
  if (text.length > MAX_CACHED_LENGTH) return compileTemplate(text);
  return templates.getOrCompute(text, compileTemplate);
}
