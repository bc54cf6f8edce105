/**
 * The API's shapes as the dashboard reads them: the contract's types (type
 * imports only, erased from the bundle) and its plain lists for menus. Only
 * what the dashboard holds differently from one answer is declared here.
 */
import type { NewApiKey, ProjectOfSession, Project as ProjectSettings, ApiKey as StoredApiKey } from '@cronbeat/contract';

export type {
  Badge,
  Channel,
  ChannelKind,
  Check,
  CheckCreate as CheckInput,
  DeliveryAttempt,
  Flip,
  Invitation,
  InvitationPreview,
  InvitationSent,
  MaintenanceWindow,
  MaintenanceWindowCreate as MaintenanceWindowInput,
  Member,
  Ping,
  ReportEvery,
  Role,
  Status,
  StoredPingKind as PingKind,
  User,
} from '@cronbeat/contract';
export { ROLES, STATUSES } from '@cronbeat/contract';

/** A project as the session lists it (name and your role), with its settings once `GET /projects/:id` has given them. */
export type Project = ProjectOfSession & Partial<Omit<ProjectSettings, keyof ProjectOfSession>>;

/** An API key; `key` itself only in the answer that created it. */
export type ApiKey = StoredApiKey & Partial<Pick<NewApiKey, 'key'>>;
