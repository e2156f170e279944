// Comments that stay true: every repository path cited in a code comment (TypeScript, JavaScript,
// C, shell) or in the Markdown docs must exist. A path is cited as it is written in this
// repository: it starts with one of the repository's tracked top-level folders
// (`core/engine/runExperiment.ts`) or, in code, with ./ or ../ from the citing file
// (`./dependencyMap.mjs`); in Markdown, relative links count too (`[theory](theory.md)`). A path
// followed by a pattern (`paper-*.json`, `lab-{dark,light}.png`, `<file>`) needs its folder to
// exist; one with a placeholder segment (`sweeps/NAME`) is not checked, nor a build's output.
// Code comments cite no issue numbers either (the word and a number): they mean nothing to a
// reader of the repository (an upstream issue is cited by its address).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const CODE = /\.(ts|mts|cts|js|mjs|cjs|c|h|sh)$/;
const SKIP = /(^|\/)(node_modules|dist|build|\.e2e-cache|artifacts|out)\/|^test\/lint\/fixtures\//;
// Written by a build, cited in commands to run after it (bench/run.mjs bundles its workers there).
const GENERATED = /^bench\/\.out\//;
const PLACEHOLDER = /(^|\/)[A-Z][A-Z_]*(\/|$)/;

/** The comments of a source file, each with the line it starts on. */
export function commentsOf(file, text) {
  const out = [];
  if (/\.sh$/.test(file)) {
    text.split('\n').forEach((line, i) => {
      const m = /(?:^|\s)#(?!!)(.*)$/.exec(line);
      if (m) out.push({ line: i + 1, text: m[1] });
    });
    return out;
  }
  // A small scanner: strings, template literals and regex literals are skipped so that a `//`
  // inside them is not taken for a comment.
  let i = 0;
  let line = 1;
  let lastSignificant = '';
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out.push({ line, text: text.slice(i + 2, stop) });
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end;
      const body = text.slice(i + 2, stop);
      out.push({ line, text: body });
      line += body.split('\n').length - 1;
      i = stop + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') {
          line++;
          if (c !== '`') break;
        }
        i++;
      }
      i++;
      lastSignificant = c;
    } else if (c === '/' && /[(,=:[!&|?{};+\-*%<>~^]|^$/.test(lastSignificant)) {
      // A regex literal (after an operator or an opening bracket, not after a value).
      i++;
      let inClass = false;
      while (i < text.length && text[i] !== '\n' && (text[i] !== '/' || inClass)) {
        if (text[i] === '\\') i++;
        else if (text[i] === '[') inClass = true;
        else if (text[i] === ']') inClass = false;
        i++;
      }
      i++;
      lastSignificant = '/';
    } else {
      if (!/\s/.test(c)) lastSignificant = /[\w$)\].]/.test(c) ? 'a' : c;
      i++;
    }
  }
  return out;
}

/** The repository paths `text` cites: relative to `root` from a top-level folder, or to `dir`. */
export function citedPaths(text, topFolders, { relative = true } = {}) {
  const found = [];
  const folders = topFolders.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const fromRoot = new RegExp(`(?<![\\w./@-])((?:${folders})/[\\w./-]*[\\w/])((?:[-.]?[*{<])?)`, 'g');
  for (const m of text.matchAll(fromRoot)) {
    if (PLACEHOLDER.test(m[1]) || GENERATED.test(m[1])) continue;
    // A pattern: its folder must exist.
    found.push({ path: m[2] ? m[1].slice(0, m[1].lastIndexOf('/') + 1) : m[1], fromRoot: true });
  }
  if (relative) {
    for (const m of text.matchAll(/(?<![\w./@-])(\.\.?\/[\w./-]*\.(?:ts|mjs|cjs|js|c|sh|md|json))(?![\w])/g)) found.push({ path: m[1], fromRoot: false });
  }
  return found;
}

/** Relative Markdown links (`[text](target)`), without anchors. */
function markdownLinks(text) {
  const out = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1].split('#')[0];
    if (target && !/^[a-z][a-z+.-]*:/i.test(target)) out.push(target);
  }
  return out;
}

/** Lists the files to check under `root`: the tracked ones where it is a git work tree. */
function files(root) {
  try {
    return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    const out = [];
    const walk = (dir) => {
      for (const name of readdirSync(path.join(root, dir))) {
        const rel = dir ? `${dir}/${name}` : name;
        if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
        else out.push(rel);
      }
    };
    walk('');
    return out;
  }
}

/** Every cited path under `root` that does not exist, as `file:line: path`. */
export function danglingCitations(root) {
  const all = files(root).filter((f) => !SKIP.test(f)).sort();
  const topFolders = [...new Set(all.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))].filter((name) => !name.startsWith('.'));
  const exists = (p) => existsSync(path.join(root, p));
  const problems = [];
  for (const file of all) {
    const isDoc = file === 'README.md' || /^docs\/[^/]+\.md$/.test(file);
    const isScript = file === '.ci/run';
    if (!isDoc && !isScript && !CODE.test(file)) continue;
    if (!existsSync(path.join(root, file))) continue;
    const text = readFileSync(path.join(root, file), 'utf8');
    const chunks = isDoc ? text.split('\n').map((t, i) => ({ line: i + 1, text: t })) : commentsOf(isScript ? `${file}.sh` : file, text);
    for (const chunk of chunks) {
      const issue = isDoc ? null : /\b[Ii]ssues? #?\d+/.exec(chunk.text);
      if (issue) problems.push(`${file}:${chunk.line}: cites an issue number ("${issue[0]}")`);
      for (const cited of citedPaths(chunk.text, topFolders, { relative: !isDoc })) {
        const target = cited.fromRoot ? cited.path : path.posix.normalize(path.posix.join(path.posix.dirname(file), cited.path));
        if (!exists(target)) problems.push(`${file}:${chunk.line}: ${cited.path}`);
      }
      if (isDoc) {
        for (const link of markdownLinks(chunk.text)) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(link)));
          if (!exists(target)) problems.push(`${file}:${chunk.line}: ${link}`);
        }
      }
    }
  }
  return problems;
}
