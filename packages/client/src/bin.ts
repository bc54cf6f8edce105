import { exitWith, main } from './cli/main.js';

await exitWith(await main(process.argv.slice(2)));
