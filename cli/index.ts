import { main } from './dfl';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
