/**
 * A worker in its own process, for tests that run several or kill one.
 * argv[2] is JSON: { databaseUrl, redisUrl, smtpUrl, options }. Prints "ready" once started.
 */
import { createDb } from '@cronbeat/db';
import { pino } from 'pino';
import { start } from '../../src';

const { databaseUrl, redisUrl, smtpUrl, options } = JSON.parse(process.argv[2] ?? '{}');
const database = await createDb({ databaseUrl, dataDir: '' });
const worker = await start(
  // The test receivers listen on loopback, which channels reach only when allowed.
  {
    redisUrl,
    smtpUrl,
    emailFrom: 'alerts@cronbeat.test',
    baseUrl: 'https://cronbeat.test',
    selfPingUrl: null,
    privateTargetsAllowed: ['127.0.0.0/8'],
  },
  { database, logger: pino({ level: 'warn' }) },
  options,
);
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await worker.close();
  await database.close();
  process.exit(0);
});
