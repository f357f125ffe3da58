/**
 * `npm run server`: parses the settings (server/config.ts), opens the database and listens until SIGINT or SIGTERM,
 * then finishes the requests in flight and closes the database.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { type App, buildApp } from './app';
import { ConfigError, describeDatabase, helpText, parseCommandLine } from './config';

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
  let app: App;
  try {
    app = await buildApp({
      database: config.database,
      bodyLimit: config.bodyLimit,
      decodedBodyLimit: config.decodedBodyLimit,
      rateLimits: config.rateLimits,
      expireUnusedHours: config.expireUnusedHours,
      retainDays: config.retainDays,
      reports: config.reports,
      ...(config.tls && {
        tls: { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) },
      }),
      ...(config.log && { log: process.stdout }),
    });
  } catch (error) {
    // A database written by a newer server, or one that cannot be reached: say so plainly and stop.
    process.stderr.write(`Cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(`smartTags server listening on ${address} (database ${describeDatabase(config.database)})\n`);
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
