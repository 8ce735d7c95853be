/** Reads the rest of a path from its root document. Never throws; a missing value reads as null. */
export type Accessor = (root: unknown) => unknown;
