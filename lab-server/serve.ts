import { parseArgs } from 'node:util';
import { startLabServer } from './server';

// `npm run lab:serve [-- --port N]`: the Lab in a plain browser with the stand-in host.

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '5178' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`lab:serve: --port must be an integer 0…65535 (got ${values.port})\n`);
    process.exit(2);
  }
  const server = await startLabServer({ port });
  process.stdout.write(`Deep Factorization Lab (standalone): ${server.url}  (?theme=light|dark|high-contrast)\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`lab:serve: ${(error as Error).message}\n`);
  process.exit(1);
});
