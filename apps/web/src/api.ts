import type {
  ApiKey,
  Badge,
  Channel,
  Check,
  CheckInput,
  Flip,
  Invitation,
  InvitationPreview,
  InvitationSent,
  Member,
  Ping,
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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (currentProjectId && path.startsWith('/api/')) headers[PROJECT_HEADER] = currentProjectId;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
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

/** Lists come either bare or wrapped as `{ <name>: [...] }`; take the array either way. */
function listOf<T>(body: unknown, name: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const wrapped = (body as Record<string, unknown> | null)?.[name];
  return Array.isArray(wrapped) ? (wrapped as T[]) : [];
}

/** A single object comes bare or as `{ <name>: {...} }`. */
function itemOf<T>(body: unknown, name: string): T {
  const wrapped = (body as Record<string, unknown> | null)?.[name];
  return (wrapped && typeof wrapped === 'object' ? wrapped : body) as T;
}

const encode = encodeURIComponent;

/** Routes about the project itself name it in the path. */
function projectPath(): string {
  if (!currentProjectId) throw new Error('no project selected');
  return `/api/v1/projects/${encode(currentProjectId)}`;
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
  changePassword: (currentPassword: string, newPassword: string) =>
    request<unknown>('POST', '/auth/password', { currentPassword, newPassword }),
  async session(): Promise<Session | null> {
    try {
      const body = await request<{ user: User; projects?: Project[]; emailEnabled?: boolean }>('GET', '/auth/me');
      const projects = body.projects ?? listOf<Project>(await request('GET', '/api/v1/projects'), 'projects');
      return { user: itemOf<User>(body, 'user'), projects, emailEnabled: body.emailEnabled ?? false };
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  createProject: async (name: string) => itemOf<Project>(await request('POST', '/api/v1/projects', { name }), 'project'),
  /** What the invitation link with this token leads to. */
  invitation: (token: string) => request<InvitationPreview>('GET', `/api/v1/invitations/${encode(token)}`),
  acceptInvitation: (token: string) => request<Invitation>('POST', '/api/v1/invitations/accept', { token }),

  async checks(query: CheckQuery = {}): Promise<Check[]> {
    const params = new URLSearchParams();
    for (const tag of query.tags ?? []) params.append('tag', tag);
    if (query.status) params.set('status', query.status);
    if (query.q) params.set('q', query.q);
    const search = params.toString();
    return listOf<Check>(await request('GET', `/api/v1/checks${search ? `?${search}` : ''}`), 'checks');
  },
  check: async (id: string) => itemOf<Check>(await request('GET', `/api/v1/checks/${encode(id)}`), 'check'),
  createCheck: async (input: CheckInput) => itemOf<Check>(await request('POST', '/api/v1/checks', input), 'check'),
  updateCheck: async (id: string, input: Partial<CheckInput>) =>
    itemOf<Check>(await request('PATCH', `/api/v1/checks/${encode(id)}`, input), 'check'),
  deleteCheck: (id: string) => request<unknown>('DELETE', `/api/v1/checks/${encode(id)}`),
  pause: async (id: string) => itemOf<Check>(await request('POST', `/api/v1/checks/${encode(id)}/pause`, {}), 'check'),
  resume: async (id: string) => itemOf<Check>(await request('POST', `/api/v1/checks/${encode(id)}/resume`, {}), 'check'),
  /** A new ping code for the check: its old ping URL stops working at once. */
  rotatePingCode: async (id: string) => itemOf<Check>(await request('POST', `/api/v1/checks/${encode(id)}/ping-code/rotate`, {}), 'check'),
  pings: async (id: string) => listOf<Ping>(await request('GET', `/api/v1/checks/${encode(id)}/pings?limit=200`), 'pings'),
  pingBody: (id: string, n: number) =>
    fetch(`/api/v1/checks/${encode(id)}/pings/${n}/body`, {
      headers: currentProjectId ? { [PROJECT_HEADER]: currentProjectId } : {},
    }).then((response) => (response.ok ? response.text() : Promise.reject(new ApiError(response.status, 'CB_BODY', 'body not available')))),
  flips: async (id: string) => listOf<Flip>(await request('GET', `/api/v1/checks/${encode(id)}/flips`), 'flips'),

  channels: async () => listOf<Channel>(await request('GET', '/api/v1/channels'), 'channels'),
  /** `attachToAllChecks` (the server's default: true) makes every existing check alert the new channel. */
  createChannel: async (input: { kind: Channel['kind']; name: string; config: Record<string, unknown>; attachToAllChecks?: boolean }) =>
    itemOf<Channel>(await request('POST', '/api/v1/channels', input), 'channel'),
  updateChannel: async (id: string, input: { name?: string; config?: Record<string, unknown> }) =>
    itemOf<Channel>(await request('PATCH', `/api/v1/channels/${encode(id)}`, input), 'channel'),
  deleteChannel: (id: string) => request<unknown>('DELETE', `/api/v1/channels/${encode(id)}`),
  testChannel: (id: string) => request<{ delivered: boolean; error: string | null }>('POST', `/api/v1/channels/${encode(id)}/test`, {}),

  members: async () => listOf<Member>(await request('GET', `${projectPath()}/members`), 'members'),
  invitations: async () => listOf<Invitation>(await request('GET', `${projectPath()}/invitations`), 'invitations'),
  invite: (email: string, role: Role) => request<InvitationSent>('POST', `${projectPath()}/invitations`, { email, role }),
  withdrawInvitation: (id: string) => request<unknown>('DELETE', `${projectPath()}/invitations/${encode(id)}`),
  setRole: (userId: string, role: Role) => request<unknown>('PATCH', `${projectPath()}/members/${encode(userId)}`, { role }),
  removeMember: (userId: string) => request<unknown>('DELETE', `${projectPath()}/members/${encode(userId)}`),

  apiKeys: async () => listOf<ApiKey>(await request('GET', `${projectPath()}/api-keys`), 'apiKeys'),
  createApiKey: (name: string, access: ApiKey['access']) => request<ApiKey>('POST', `${projectPath()}/api-keys`, { name, access }),
  revokeApiKey: (id: string) => request<unknown>('DELETE', `${projectPath()}/api-keys/${encode(id)}`),
  rotatePingKey: () => request<{ pingKey?: string }>('POST', `${projectPath()}/ping-key`, {}),
  renameProject: (name: string) => request<unknown>('PATCH', projectPath(), { name }),
  /** The current project with its settings (the session's list has only names and roles). */
  project: () => request<Project>('GET', projectPath()),
  /** What `?create=1` pings may do in the project. */
  setAutoCreate: (settings: { autoCreateLimit?: number; autoCreateAttachChannels?: boolean }) =>
    request<Project>('PATCH', projectPath(), settings),
  /** Deletes the project with its checks, channels, keys and history. */
  deleteProject: () => request<unknown>('DELETE', projectPath()),

  badges: async () => listOf<Badge>(await request('GET', '/api/v1/badges'), 'badges'),
  rotateBadgeKey: () => request<unknown>('POST', `${projectPath()}/badge-key`, {}),

  /** The next times a cron schedule expects a ping, computed by the server (the same code as the deadlines). */
  schedulePreview: async (cron: string, tz: string) =>
    (await request<{ times: string[] }>('POST', '/api/v1/schedule/preview', { cron, tz, count: 5 })).times,
};
