#!/usr/bin/env node
// The `dfl` command: the bundle is built by `npm run build` (also run by `npm ci` via `prepare`).
require('../dist/cli.js');
