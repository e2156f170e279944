#!/usr/bin/env node
// The `dfl` command: the bundle is built by `npm run build` (also run by `npm ci` via `prepare`),
// and loaded with V8's code cache (bin/codeCache.js).
const path = require('node:path');
require('./codeCache.js')(path.join(__dirname, '..', 'dist', 'cli.js'));
