/** `@cronbeat/notify/testing`: the real receivers (SMTP, HTTP) and the sample alert that other workspaces' tests use. */
export { anAlert } from '../alert-fixture';
export * from './receivers';
