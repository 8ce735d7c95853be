// Vitest setup file (see vitest.config.ts): run before every test file, also without isolation.
import { afterEach } from 'vitest';
import { releaseEngines } from './engine.js';

afterEach(releaseEngines);
