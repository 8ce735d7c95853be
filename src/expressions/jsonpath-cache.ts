import { JSONPath } from 'jsonpath-plus';

/**
 * jsonpath-plus memoises every path string it parses in a static object that never shrinks. Paths built
 * from data (`${workflow.input.${workflow.input.key}}`) would make that a leak in a long-running engine, so
 * we count the distinct strings we hand it and drop its whole cache past a cap. Only a cache is lost: other
 * users of jsonpath-plus in the process just re-parse.
 */
const MAX_TRACKED_PATHS = 10_000;
let trackedPaths = 0;

/** Call once per distinct path string about to be parsed or evaluated by jsonpath-plus. */
export function trackJsonPathCacheEntry(): void {
  trackedPaths += 1;
  if (trackedPaths > MAX_TRACKED_PATHS) {
    JSONPath.cache = {};
    trackedPaths = 1;
  }
}
