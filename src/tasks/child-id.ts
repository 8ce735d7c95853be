import { createHash } from 'node:crypto';

/**
 * A name-based UUID exactly as Java's `UUID.nameUUIDFromBytes` makes it (version 3: the MD5 of the UTF-8
 * bytes, with the version and variant bits set), so ids match the ones Conductor derives from the same text.
 */
export function nameUuid(text: string): string {
  const bytes = createHash('md5').update(text, 'utf8').digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x30;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the child workflow a SUB_WORKFLOW task starts (Conductor's `IDGenerator.generateSubWorkflowId`):
 * derived from the parent, the task and its attempt, so redoing the start finds the child made the first time
 * instead of starting a second one, while a retry (next `retryCount`) gets a child of its own.
 */
export function subWorkflowId(parentWorkflowId: string, taskId: string, retryCount: number): string {
  return nameUuid(`subworkflow:${parentWorkflowId}:${taskId}:${retryCount}`);
}
