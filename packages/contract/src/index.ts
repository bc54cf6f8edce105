/**
 * The API's shapes, declared once. The server validates, serializes and
 * documents (OpenAPI) with these schemas; the dashboard imports their types
 * only (`import type`, erased from its bundle) and the plain values of
 * `values.ts`; the client bundles what it uses. Each schema's type has the
 * schema's name: `Check` is both the schema and `Static<typeof Check>`.
 */
export * from './auth';
export * from './badges';
export * from './channels';
export * from './check-overview';
export * from './check-policy';
export * from './checks';
export * from './common';
export * from './deliveries';
export * from './history';
export * from './invitations';
export * from './maintenance';
export * from './projects';
export * from './run-lock';
export * from './status-pages';
export * from './v3';
export * from './v3-import';
export * from './values';
