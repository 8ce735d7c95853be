export { validateStartRequest } from './validate-start-request.js';
export { validateTaskDef, validateTaskDefs } from './validate-task-def.js';
export { validateTaskResult } from './validate-task-result.js';
export { validateWorkflowDef, type WorkflowDefValidationOptions } from './validate-workflow-def.js';
