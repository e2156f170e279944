// dependency-cruiser's configuration, generated from the table of docs/architecture.md
// (scripts/lint/dependencyMap.mjs), so the rules and the documented map cannot drift.
import { fileURLToPath } from 'node:url';
import { cruiserConfig, readMap } from './scripts/lint/dependencyMap.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

export default cruiserConfig(readMap(root), { tsConfig: 'tsconfig.json' });
