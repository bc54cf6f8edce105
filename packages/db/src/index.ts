export {
  createDb,
  type Database,
  type Db,
  type DbOptions,
  type Schema,
  type Tx,
} from './client';
export { MIGRATIONS_FOLDER, migrate } from './migrate';
export * from './queries/channels';
export * from './queries/checks';
export * from './queries/flips';
export * from './queries/notifications';
export * from './queries/pings';
export * from './queries/projects';
export * from './queries/sweep';
export { queryRows } from './rows';
export * from './schema';
