'use strict';
// Loads the CLI bundle with V8's code cache, so that a `dfl` command does not compile 1 MB of
// JavaScript again each time it starts (a tenth of a short sweep's time). Node ≥ 22.1 does this
// itself (module.enableCompileCache); on Node 20 the bundle is compiled through vm.Script with the
// cache of the last run, kept in the temporary folder under a key of Node's version and the
// bundle's path, size and time, and written (atomically, by rename) when there was none or V8
// refused it. DFL_CODE_CACHE=0 turns it off.
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

function cacheFileOf(file, stat) {
  const user = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const key = crypto.createHash('sha256').update(`${process.version} ${process.arch} ${file} ${stat.size} ${stat.mtimeMs}`).digest('hex').slice(0, 24);
  return path.join(os.tmpdir(), `dfl-code-cache-${user}`, `${key}.bin`);
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

function save(cacheFile, data) {
  const dir = path.dirname(cacheFile);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, cacheFile);
    // Each build of the bundle has its own key: caches written over a week ago are of old builds
    // (or of one that makes its cache again, once, in one start).
    for (const name of fs.readdirSync(dir)) {
      const other = path.join(dir, name);
      if (other !== cacheFile && Date.now() - fs.statSync(other).mtimeMs > WEEK_MS) fs.rmSync(other, { force: true });
    }
  } catch {
    // A cache that cannot be written only costs the next start its compile time.
  }
}

/** `require(file)` for a CommonJS bundle, compiled with V8's code cache where one is kept. */
function requireWithCodeCache(file) {
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache();
    return require(file);
  }
  if (process.env.DFL_CODE_CACHE === '0' || !vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER) return require(file);
  let source;
  let cacheFile;
  try {
    cacheFile = cacheFileOf(file, fs.statSync(file));
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return require(file); // Node's own error names the missing bundle
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // After the command, so that the cache holds the functions it compiled on the way.
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => save(cacheFile, script.createCachedData()));
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = bundle;
  script.runInThisContext({ displayErrors: true }).call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
  bundle.loaded = true;
  return bundle.exports;
}

module.exports = requireWithCodeCache;
