import { main } from './dfl';
import { exitCode, watchStdout } from './output';

watchStdout();
// main reports its own failures and resolves to the exit code; a rejection would be a bug, which
// Node prints and exits on.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = exitCode(code);
});
