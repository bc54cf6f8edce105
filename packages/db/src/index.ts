export {
  createDb,
  type Database,
  type Db,
  type DbOptions,
  type Schema,
  type Tx,
} from './client';
export { MIGRATIONS_FOLDER, migrate, pendingMigrations, prepareSchema, SchemaBehindError } from './migrate';
export * from './ping-hot-path';
export * from './queries/acknowledgements';
export * from './queries/alert-facts';
export * from './queries/alert-holds';
export * from './queries/api-channels';
export * from './queries/api-checks';
export * from './queries/api-keys';
export * from './queries/badges';
export * from './queries/channels';
export * from './queries/check-history';
export * from './queries/check-overview';
export * from './queries/checks';
export * from './queries/delivery-claim';
export * from './queries/delivery-log';
export * from './queries/dependencies';
export * from './queries/flips';
export * from './queries/healthchecks-v3';
export * from './queries/invitations';
export * from './queries/maintenance';
export * from './queries/memberships';
export * from './queries/notifications';
export * from './queries/pings';
export * from './queries/projects';
export * from './queries/reports';
export * from './queries/retention';
export * from './queries/run-locks';
export * from './queries/sentry';
export * from './queries/sessions';
export * from './queries/status-pages';
export * from './queries/sweep';
export * from './queries/users';
export { queryRows } from './rows';
export {
  durationAnomalyFromJson,
  failedRunToJson,
  flipRunsFromJson,
  flipRunsToJson,
  runRecordFromJson,
  runRecordToJson,
} from './run-record';
export * from './schema';
