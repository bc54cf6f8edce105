/** `npm start`: the whole of Cronbeat in one process. */
import { configOrExit, createLogger, startOrExit, stopOnSignals, trimMemoryWhenIdle } from '@cronbeat/runtime';
import { runStandalone } from './run';

const config = configOrExit();
const logger = createLogger(config);
const cronbeat = await startOrExit(config, () => runStandalone(config, logger));
logger.info(`Cronbeat is running: open ${cronbeat.url}`);
stopOnSignals(logger, cronbeat.stop);
trimMemoryWhenIdle();
