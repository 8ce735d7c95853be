import type { WorkflowStatus } from './status.js';
import { WORKFLOW_STATUSES } from './status.js';
import {
  checkOptionalEnum,
  checkOptionalNumber,
  checkOptionalString,
  childPath,
  isAbsent,
  isMap,
  runValidation,
} from './validation/issues.js';
import type { WorkflowRecord } from './workflow.js';

/** How `searchWorkflows` orders its results. */
export type WorkflowSearchSort = 'startTime:DESC' | 'startTime:ASC';

/**
 * What `searchWorkflows` looks for. Every filter given must match (AND); none given matches every workflow.
 */
export interface WorkflowSearchQuery {
  /** The workflow definition's name. */
  workflowType?: string | null;
  /** One status or a list of them (any of). */
  status?: WorkflowStatus | readonly WorkflowStatus[] | null;
  correlationId?: string | null;
  /** Epoch ms, inclusive. */
  startTimeFrom?: number | null;
  /** Epoch ms, inclusive. */
  startTimeTo?: number | null;
  /**
   * Case-insensitive substring of the workflow id, correlation id, workflow name, or the JSON text of the
   * workflow's input or output. `*` (Conductor's "everything") or an empty string matches every workflow.
   */
  freeText?: string | null;
  /** @default 'startTime:DESC' */
  sort?: WorkflowSearchSort | null;
  /** Results to skip. @default 0 */
  start?: number | null;
  /** Results to return at most. @default 100 */
  size?: number | null;
}

/** One search hit: Conductor's `WorkflowSummary`, with times as epoch ms. */
export interface WorkflowSummary {
  workflowId: string;
  workflowType: string;
  version: number;
  status: WorkflowStatus;
  correlationId: string | null;
  startTime: number;
  updateTime: number | null;
  endTime: number | null;
  reasonForIncompletion: string | null;
  failedTaskNames: string[];
}

/** The answer of `searchWorkflows`: every hit counted, one page of them returned. */
export interface WorkflowSearchResult {
  /** Workflows matching the filters, whatever `start` and `size`. */
  totalHits: number;
  results: WorkflowSummary[];
}

/**
 * A validated query with every default applied, as a {@link Store} receives it. `null` filters are not
 * applied. Results are ordered by `startTime` (`sort`), ties by `workflowId` ascending, then paged.
 */
export interface WorkflowSearchCriteria {
  readonly workflowType: string | null;
  /** Any of these statuses; null for every status. */
  readonly statuses: readonly WorkflowStatus[] | null;
  readonly correlationId: string | null;
  readonly startTimeFrom: number | null;
  readonly startTimeTo: number | null;
  /** Lower-cased free text; null when absent, empty or `*`. */
  readonly freeText: string | null;
  readonly sort: 'ASC' | 'DESC';
  readonly start: number;
  readonly size: number;
}

/** The default page size of `searchWorkflows`. */
export const DEFAULT_SEARCH_SIZE = 100;

const SORTS: readonly WorkflowSearchSort[] = ['startTime:DESC', 'startTime:ASC'];

/** Checks a search query (ValidationError with paths such as `status[1]`) and applies its defaults. */
export function searchCriteria(query: unknown = {}): WorkflowSearchCriteria {
  return runValidation('search query', (issues) => {
    const q = isAbsent(query) ? {} : query;
    if (!isMap(q)) {
      issues.add('', 'must be an object');
      return undefined as unknown as WorkflowSearchCriteria;
    }
    checkOptionalString(issues, 'workflowType', q.workflowType);
    checkOptionalString(issues, 'correlationId', q.correlationId);
    checkOptionalString(issues, 'freeText', q.freeText);
    checkOptionalNumber(issues, 'startTimeFrom', q.startTimeFrom);
    checkOptionalNumber(issues, 'startTimeTo', q.startTimeTo);
    checkOptionalNumber(issues, 'start', q.start, { integer: true, min: 0 });
    checkOptionalNumber(issues, 'size', q.size, { integer: true, min: 0 });
    checkOptionalEnum(issues, 'sort', q.sort, SORTS);
    let statuses: WorkflowStatus[] | null = null;
    if (!isAbsent(q.status)) {
      const list: unknown[] = Array.isArray(q.status) ? q.status : [q.status];
      list.forEach((status, i) => {
        const path = Array.isArray(q.status) ? childPath('status', i) : 'status';
        checkOptionalEnum(issues, path, status ?? '', WORKFLOW_STATUSES);
      });
      statuses = list as WorkflowStatus[];
    }
    const text = typeof q.freeText === 'string' ? q.freeText.trim() : '';
    return {
      workflowType: (q.workflowType as string | undefined) ?? null,
      statuses,
      correlationId: (q.correlationId as string | undefined) ?? null,
      startTimeFrom: (q.startTimeFrom as number | undefined) ?? null,
      startTimeTo: (q.startTimeTo as number | undefined) ?? null,
      freeText: text === '' || text === '*' ? null : text.toLowerCase(),
      sort: q.sort === 'startTime:ASC' ? 'ASC' : 'DESC',
      start: (q.start as number | undefined) ?? 0,
      size: (q.size as number | undefined) ?? DEFAULT_SEARCH_SIZE,
    };
  });
}

/**
 * Whether a workflow row passes the criteria's filters (paging aside). Adapters without their own query
 * language (or for the free-text part) can use it as the reference.
 */
export function matchesSearch(workflow: WorkflowRecord, criteria: WorkflowSearchCriteria): boolean {
  if (criteria.workflowType !== null && workflow.workflowName !== criteria.workflowType) return false;
  if (criteria.statuses !== null && !criteria.statuses.includes(workflow.status)) return false;
  if (criteria.correlationId !== null && workflow.correlationId !== criteria.correlationId) return false;
  if (criteria.startTimeFrom !== null && workflow.startTime < criteria.startTimeFrom) return false;
  if (criteria.startTimeTo !== null && workflow.startTime > criteria.startTimeTo) return false;
  return criteria.freeText === null || matchesFreeText(workflow, criteria.freeText);
}

/** Free text (lower-cased) in the id, correlation id, name, or the JSON of the input or output. */
export function matchesFreeText(workflow: WorkflowRecord, text: string): boolean {
  return (
    workflow.workflowId.toLowerCase().includes(text) ||
    (workflow.correlationId?.toLowerCase().includes(text) ?? false) ||
    workflow.workflowName.toLowerCase().includes(text) ||
    JSON.stringify(workflow.input).toLowerCase().includes(text) ||
    JSON.stringify(workflow.output).toLowerCase().includes(text)
  );
}

/** Orders hits by start time in the criteria's direction, ties by workflow id ascending. */
export function compareForSearch(
  a: WorkflowRecord,
  b: WorkflowRecord,
  sort: WorkflowSearchCriteria['sort'],
): number {
  if (a.startTime !== b.startTime)
    return sort === 'ASC' ? a.startTime - b.startTime : b.startTime - a.startTime;
  return a.workflowId < b.workflowId ? -1 : a.workflowId > b.workflowId ? 1 : 0;
}

/** The summary of a workflow row. */
export function workflowSummary(workflow: WorkflowRecord): WorkflowSummary {
  return {
    workflowId: workflow.workflowId,
    workflowType: workflow.workflowName,
    version: workflow.workflowVersion,
    status: workflow.status,
    correlationId: workflow.correlationId ?? null,
    startTime: workflow.startTime,
    updateTime: workflow.updateTime ?? null,
    endTime: workflow.endTime ?? null,
    reasonForIncompletion: workflow.reasonForIncompletion ?? null,
    failedTaskNames: [...(workflow.failedTaskNames ?? [])],
  };
}
