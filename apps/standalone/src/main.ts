/** `npm start`: the whole of Cronbeat in one process. */
import { configOrExit, createLogger, startOrExit, stopOnSignals, trimMemoryWhenIdle } from '@cronbeat/runtime';

const config = configOrExit();
const logger = createLogger(config);
// Loaded once the configuration is known good: a mistake in the environment is reported at once
// (0.3 s), not after loading the whole of Cronbeat (2 s through tsx).
const { runStandalone } = await import('./run');
const cronbeat = await startOrExit(config, () => runStandalone(config, logger));
logger.info(`Cronbeat is running: open ${cronbeat.url}`);
stopOnSignals(logger, cronbeat.stop);
trimMemoryWhenIdle();
