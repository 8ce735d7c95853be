/**
 * A JSON_JQ_TRANSFORM query failed: a compile error, a runtime error (jq's own message, e.g.
 * `Cannot index string with string "array"`, as Conductor reports it), an input that is not JSON, a timeout,
 * or the jq worker crashing. Conductor ends the task FAILED with `message` as `reasonForIncompletion`.
 */
export class JqError extends Error {
  override name = 'JqError';
}
