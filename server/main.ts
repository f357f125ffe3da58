/**
 * `npm run server`: parses the settings (server/config.ts), opens the database and listens until SIGINT or SIGTERM,
 * then finishes the requests in flight and closes the database.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { buildApp } from './app';
import { ConfigError, helpText, parseCommandLine } from './config';

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

async function main(): Promise<void> {
  let commandLine: ReturnType<typeof parseCommandLine>;
  try {
    commandLine = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n\nRun with --help to see the options.\n`);
    process.exit(2);
  }
  if (commandLine.kind === 'help') {
    process.stdout.write(helpText());
    return;
  }
  const { config } = commandLine;
  const app = await buildApp({
    databasePath: config.databasePath,
    bodyLimit: config.bodyLimit,
    decodedBodyLimit: config.decodedBodyLimit,
    rateLimits: config.rateLimits,
    expireUnusedHours: config.expireUnusedHours,
    ...(config.tls && {
      tls: { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) },
    }),
    ...(config.log && { log: process.stdout }),
  });
  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(`smartTags server listening on ${address} (database ${config.databasePath})\n`);
  if (!config.tls && !isLoopback(config.host)) {
    process.stderr.write(
      'Warning: plain HTTP on a non-loopback address. The extension sends data over HTTPS only: give --tls-cert and ' +
        '--tls-key, or put a TLS-terminating proxy in front.\n',
    );
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
}

await main();
