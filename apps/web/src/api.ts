import type {
  Acknowledgement,
  ApiKeyList,
  BadgeList,
  ChannelCreate,
  ChannelList,
  ChannelPatch,
  ChannelTestResult,
  CheckBadge,
  CheckList,
  CheckOverviewPage,
  FlipDeliveries,
  FlipList,
  InvitationList,
  MaintenanceWindowList,
  Me,
  MemberList,
  PingPage,
  StatusPage,
  StatusPageCreate,
  StatusPageList,
  StatusPagePatch,
} from '@cronbeat/contract';
import type { ChannelKindInfo } from './channelKinds';
import type {
  ApiKey,
  Channel,
  Check,
  CheckInput,
  Invitation,
  InvitationPreview,
  InvitationSent,
  MaintenanceWindow,
  MaintenanceWindowInput,
  Project,
  ReportEvery,
  Role,
  User,
} from './types';

/** The API's one error shape, `{ error: { code, message, fields? } }`, as a thrown value. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field name → what is wrong with it, for inline errors. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The project the dashboard is looking at; sent with every /api/v1 request of a signed-in person. */
let currentProjectId: string | null = null;
export const setCurrentProject = (id: string | null) => {
  currentProjectId = id;
};

/** Header that names the project of a session-authenticated API call. */
export const PROJECT_HEADER = 'x-project-id';

/**
 * How long a request may take before the page gives up on it and says so, in milliseconds. Without a
 * deadline one hung request would leave a spinner, a disabled button or a list that no longer updates.
 */
export const REQUEST_DEADLINE_MS = 30_000;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (currentProjectId && path.startsWith('/api/')) headers[PROJECT_HEADER] = currentProjectId;
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
    });
    text = await response.text();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError')
      throw new ApiError(0, 'CB_TIMEOUT', `The server did not answer within ${REQUEST_DEADLINE_MS / 1000} seconds.`);
    throw error;
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      error?.fields ?? {},
    );
  }
  return parsed as T;
}

/**
 * The list of a `GET` answer in the API's one list shape, `{ <name>: [...] }`
 * (the contract's `CheckList`, `ChannelList`…). Any other answer is an error
 * the page shows, never an empty list that would read "no checks yet".
 */
async function listOf<Answer, Name extends keyof Answer & string>(path: string, name: Name): Promise<Answer[Name]> {
  const answer = await request<Answer>('GET', path);
  const list = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[name] : undefined;
  if (!Array.isArray(list)) throw new ApiError(502, 'CB_UNEXPECTED_ANSWER', `The server's answer to ${path} holds no list of ${name}.`);
  return list as Answer[Name];
}

const encode = encodeURIComponent;

/** Routes about the project itself name it in the path. */
function projectPath(): string {
  if (!currentProjectId) throw new Error('no project selected');
  return `/api/v1/projects/${encode(currentProjectId)}`;
}

/**
 * The checks list's first page, asked for as the dashboard starts, beside the session (main.tsx), for the
 * project the browser remembers: the list takes this answer instead of asking once the session is known,
 * one round trip less before the first screen. Unclaimed, it is dropped after a few seconds.
 */
let earlyOverview: { path: string; answer: Promise<CheckOverviewPage> } | null = null;
const EARLY_OVERVIEW_MS = 5_000;

const overviewPath = (projectId: string, search: string) => `/api/v1/projects/${encode(projectId)}/checks/overview${search}`;

export function askEarlyForOverview(projectId: string, search: string): void {
  const path = overviewPath(projectId, search);
  const answer = request<CheckOverviewPage>('GET', path);
  // Not an error of its own: the list asks again when it takes a failed early answer.
  answer.catch(() => {});
  earlyOverview = { path, answer };
  setTimeout(() => {
    if (earlyOverview?.answer === answer) earlyOverview = null;
  }, EARLY_OVERVIEW_MS);
}

export interface Session {
  user: User;
  projects: Project[];
  /** Whether the server can send email; summary reports need it. */
  emailEnabled: boolean;
}

export interface CheckQuery {
  tags?: string[];
  status?: string;
  q?: string;
}

export const api = {
  /** `invitation`, the token of an invitation link, admits sign-up where registration is closed. */
  signUp: (email: string, password: string, invitation?: string) =>
    request<unknown>('POST', '/auth/signup', { email, password, ...(invitation && { invitation }) }),
  logIn: (email: string, password: string) => request<unknown>('POST', '/auth/login', { email, password }),
  logOut: () => request<unknown>('POST', '/auth/logout', {}),
  /** Signs out every other session of this person; this one stays. */
  setReportEvery: (reportEvery: ReportEvery) => request<unknown>('PATCH', '/auth/me', { reportEvery }),
  updateAccount: (patch: { reportEvery?: ReportEvery; timeZone?: string }) => request<unknown>('PATCH', '/auth/me', patch),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<unknown>('POST', '/auth/password', { currentPassword, newPassword }),
  async session(): Promise<Session | null> {
    try {
      const { user, projects, emailEnabled } = await request<Me>('GET', '/auth/me');
      return { user, projects, emailEnabled };
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  createProject: (name: string) => request<Project>('POST', '/api/v1/projects', { name }),
  /** What the invitation link with this token leads to. */
  invitation: (token: string) => request<InvitationPreview>('GET', `/api/v1/invitations/${encode(token)}`),
  acceptInvitation: (token: string) => request<Invitation>('POST', '/api/v1/invitations/accept', { token }),

  async checks(query: CheckQuery = {}): Promise<Check[]> {
    const params = new URLSearchParams();
    for (const tag of query.tags ?? []) params.append('tag', tag);
    if (query.status) params.set('status', query.status);
    if (query.q) params.set('q', query.q);
    const search = params.toString();
    return listOf<CheckList, 'checks'>(`/api/v1/checks${search ? `?${search}` : ''}`, 'checks');
  },
  /** The checks list's rows (`search`: the overview's query string, from `overviewSearch`). */
  checkOverview(search: string): Promise<CheckOverviewPage> {
    if (!currentProjectId) throw new Error('no project selected');
    const path = overviewPath(currentProjectId, search);
    const early = earlyOverview;
    if (early?.path !== path) return request<CheckOverviewPage>('GET', path);
    earlyOverview = null;
    return early.answer.catch(() => request<CheckOverviewPage>('GET', path));
  },
  /** Where the checks list hears which checks changed (server-sent events). */
  projectEventsUrl: () => `${projectPath()}/events`,
  check: (id: string) => request<Check>('GET', `/api/v1/checks/${encode(id)}`),
  createCheck: (input: CheckInput) => request<Check>('POST', '/api/v1/checks', input),
  updateCheck: (id: string, input: Partial<CheckInput>) => request<Check>('PATCH', `/api/v1/checks/${encode(id)}`, input),
  deleteCheck: (id: string) => request<unknown>('DELETE', `/api/v1/checks/${encode(id)}`),
  pause: (id: string) => request<Check>('POST', `/api/v1/checks/${encode(id)}/pause`, {}),
  resume: (id: string) => request<Check>('POST', `/api/v1/checks/${encode(id)}/resume`, {}),
  /** Says someone is on the down check's incident: no more reminders of it. */
  acknowledge: (id: string) => request<Acknowledgement>('POST', `/api/v1/checks/${encode(id)}/acknowledge`, {}),
  /** A new ping code for the check: its old ping URL stops working at once. */
  rotatePingCode: (id: string) => request<Check>('POST', `/api/v1/checks/${encode(id)}/ping-code/rotate`, {}),
  pings: (id: string) => listOf<PingPage, 'pings'>(`/api/v1/checks/${encode(id)}/pings?limit=200`, 'pings'),
  /** The newest `limit` pings received at or before `until` (an ended incident's end), or the newest when null. */
  pingsUntil: (id: string, until: string | null, limit: number) =>
    listOf<PingPage, 'pings'>(`/api/v1/checks/${encode(id)}/pings?limit=${limit}${until ? `&until=${encode(until)}` : ''}`, 'pings'),
  pingBody: (id: string, n: number) =>
    fetch(`/api/v1/checks/${encode(id)}/pings/${n}/body`, {
      headers: currentProjectId ? { [PROJECT_HEADER]: currentProjectId } : {},
    }).then((response) => (response.ok ? response.text() : Promise.reject(new ApiError(response.status, 'CB_BODY', 'body not available')))),
  flips: (id: string) => listOf<FlipList, 'flips'>(`/api/v1/checks/${encode(id)}/flips`, 'flips'),
  /** Every attempt to deliver the flip's alert and reminders, newest first. */
  flipDeliveries: (id: string, flipId: number) =>
    listOf<FlipDeliveries, 'deliveries'>(`/api/v1/checks/${encode(id)}/flips/${flipId}/deliveries`, 'deliveries'),

  channels: () => listOf<ChannelList, 'channels'>('/api/v1/channels', 'channels'),
  /** `attachToAllChecks` (the server's default: true) makes every existing check alert the new channel. */
  createChannel: (input: ChannelCreate) => request<Channel>('POST', '/api/v1/channels', input),
  updateChannel: (id: string, input: ChannelPatch) => request<Channel>('PATCH', `/api/v1/channels/${encode(id)}`, input),
  deleteChannel: (id: string) => request<unknown>('DELETE', `/api/v1/channels/${encode(id)}`),
  testChannel: (id: string) => request<ChannelTestResult>('POST', `/api/v1/channels/${encode(id)}/test`, {}),
  /** Every channel kind with its config's JSON Schema; the channel form is drawn from it. */
  channelKinds: () => listOf<{ kinds: ChannelKindInfo[] }, 'kinds'>('/api/v1/channel-kinds', 'kinds'),

  maintenanceWindows: () => listOf<MaintenanceWindowList, 'maintenanceWindows'>('/api/v1/maintenance-windows', 'maintenanceWindows'),
  createMaintenanceWindow: (input: MaintenanceWindowInput) => request<MaintenanceWindow>('POST', '/api/v1/maintenance-windows', input),
  updateMaintenanceWindow: (id: string, input: Partial<MaintenanceWindowInput>) =>
    request<MaintenanceWindow>('PATCH', `/api/v1/maintenance-windows/${encode(id)}`, input),
  deleteMaintenanceWindow: (id: string) => request<unknown>('DELETE', `/api/v1/maintenance-windows/${encode(id)}`),
  /** Ends the window now (a recurring one until its next occurrence); 409 when none is in force. */
  endMaintenanceWindow: (id: string) => request<MaintenanceWindow>('POST', `/api/v1/maintenance-windows/${encode(id)}/end`, {}),

  members: () => listOf<MemberList, 'members'>(`${projectPath()}/members`, 'members'),
  invitations: () => listOf<InvitationList, 'invitations'>(`${projectPath()}/invitations`, 'invitations'),
  invite: (email: string, role: Role) => request<InvitationSent>('POST', `${projectPath()}/invitations`, { email, role }),
  withdrawInvitation: (id: string) => request<unknown>('DELETE', `${projectPath()}/invitations/${encode(id)}`),
  setRole: (userId: string, role: Role) => request<unknown>('PATCH', `${projectPath()}/members/${encode(userId)}`, { role }),
  removeMember: (userId: string) => request<unknown>('DELETE', `${projectPath()}/members/${encode(userId)}`),

  apiKeys: () => listOf<ApiKeyList, 'apiKeys'>(`${projectPath()}/api-keys`, 'apiKeys'),
  createApiKey: (name: string, access: ApiKey['access']) => request<ApiKey>('POST', `${projectPath()}/api-keys`, { name, access }),
  revokeApiKey: (id: string) => request<unknown>('DELETE', `${projectPath()}/api-keys/${encode(id)}`),
  statusPages: () => listOf<StatusPageList, 'statusPages'>(`${projectPath()}/status-pages`, 'statusPages'),
  createStatusPage: (page: StatusPageCreate) => request<StatusPage>('POST', `${projectPath()}/status-pages`, page),
  editStatusPage: (id: string, patch: StatusPagePatch) =>
    request<StatusPage>('PATCH', `${projectPath()}/status-pages/${encode(id)}`, patch),
  deleteStatusPage: (id: string) => request<unknown>('DELETE', `${projectPath()}/status-pages/${encode(id)}`),
  rotatePingKey: () => request<{ pingKey?: string }>('POST', `${projectPath()}/ping-key`, {}),
  rotateSentryKey: () => request<{ sentryDsn?: string }>('POST', `${projectPath()}/sentry-key`, {}),
  renameProject: (name: string) => request<unknown>('PATCH', projectPath(), { name }),
  /** The current project with its settings (the session's list has only names and roles). */
  project: () => request<Project>('GET', projectPath()),
  /** What `?create=1` pings may do in the project. */
  setAutoCreate: (settings: { autoCreateLimit?: number; autoCreateAttachChannels?: boolean }) =>
    request<Project>('PATCH', projectPath(), settings),
  /** More checks going down in one sweep pass than this are told in one message per channel; null: never grouped. */
  setGroupAlertsAbove: (groupAlertsAbove: number | null) => request<Project>('PATCH', projectPath(), { groupAlertsAbove }),
  /** Deletes the project with its checks, channels, keys and history. */
  deleteProject: () => request<unknown>('DELETE', projectPath()),

  badges: () => listOf<BadgeList, 'badges'>('/api/v1/badges', 'badges'),
  rotateBadgeKey: () => request<unknown>('POST', `${projectPath()}/badge-key`, {}),
  /** One check's badge URLs (by its slug, or its id when it has none). */
  checkBadge: (id: string) => request<CheckBadge>('GET', `/api/v1/checks/${encode(id)}/badge`),

  /** The next times a cron schedule expects a ping, computed by the server (the same code as the deadlines). */
  schedulePreview: async (expression: { cron: string } | { onCalendar: string }, tz: string) =>
    (await request<{ times: string[] }>('POST', '/api/v1/schedule/preview', { ...expression, tz, count: 5 })).times,
};
