import { readFileSync } from 'node:fs';
import type { WorkflowDef } from '../../src/index.js';

/** A workflow definition from test/fixtures/ (Conductor JSON), parsed afresh so a test may change its copy. */
export function loadWorkflowDef(file: string): WorkflowDef {
  return JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as WorkflowDef;
}
