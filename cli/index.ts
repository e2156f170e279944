import { main } from './dfl';
import { exitCode, watchStdout } from './output';

watchStdout();
main(process.argv.slice(2)).then((code) => {
  process.exitCode = exitCode(code);
});
