import type {
  ChannelCreate,
  ChannelList,
  Channel as ChannelOfTheApi,
  ChannelPatch,
  ChannelTestResult,
  CheckCreate,
  CheckList,
  Check as CheckOfTheApi,
  MaintenanceWindowCreate,
  MaintenanceWindowList,
  MaintenanceWindow as MaintenanceWindowOfTheApi,
  MaintenanceWindowPatch,
} from '@cronbeat/contract';
import { isUuid } from '@cronbeat/contract/rules';
import { describeHttpFailure, type HttpAnswer, request as httpRequest } from './http.js';
import type { ClientSettings } from './settings.js';

/** A check as the REST API v1 answers it (`@cronbeat/contract`'s `Check`: camelCase, ISO-8601 UTC times). */
export type Check = CheckOfTheApi;

/** The writable fields of a check; `channels` takes ids or `"*"` for all of the project's channels. */
export type CheckInput = Omit<CheckCreate, 'unique'>;

/** A maintenance window as the API answers it, with its occurrence in force now (`current`) and the next one. */
export type MaintenanceWindow = MaintenanceWindowOfTheApi;
export type MaintenanceWindowInput = MaintenanceWindowCreate;
export type MaintenanceWindowChanges = MaintenanceWindowPatch;

/** What sync needs of a channel to resolve a check's channel names (`ChannelDetails` has the rest). */
export type Channel = Pick<ChannelOfTheApi, 'id' | 'name' | 'kind'>;

/** A channel as the API answers it: secrets in `config` show as `{ "set": true }` (absent for read-only keys). */
export type ChannelDetails = ChannelOfTheApi;
export type ChannelInput = ChannelCreate;
export type ChannelChanges = ChannelPatch;
/** What a test alert did: `permanent` says whether retrying could help when it failed. */
export type ChannelTestOutcome = ChannelTestResult;

/**
 * A channel kind as `GET /channel-kinds` describes it: the JSON Schema of its
 * `config` and which of its fields are write-only. (The server declares this
 * answer with its route, not in the contract, so it is spelled out here.)
 */
export interface ChannelKindInfo {
  kind: string;
  title: string;
  secrets: string[];
  schema: ConfigSchema;
}

/** The parts of a kind's config schema the client reads: its fields, which are required, and their defaults. */
export interface ConfigSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, ConfigSchema & { default?: unknown; anyOf?: ConfigSchema[]; const?: unknown }>;
  additionalProperties?: boolean | object;
}

/** An error answer of the API (`{ error: { code, message } }`) or a transport failure (status null). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    /** The API's own message (`config.url: url must be a URL`), without the request before it. */
    readonly reason: string | null = null,
  ) {
    super(message);
  }
}

/**
 * The list in an answer of the API's one list shape, `{ <key>: [...] }`. Any
 * other answer (a proxy's page, a server of another kind) is an error that
 * says so, never an empty list.
 */
function listIn<Item>(answer: unknown, key: string, route: string): Item[] {
  const list = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(list)) return list as Item[];
  throw new ApiError(`${route}: the answer is not a Cronbeat list ({ "${key}": [...] })`, null, null);
}

/** Checks per request when listing: the most the API gives in one page. */
const CHECKS_PAGE = 1000;

export class CronbeatApi {
  private readonly base: string;
  private readonly key: string;

  constructor(settings: ClientSettings) {
    if (!settings.url) throw new ApiError('CRONBEAT_URL is not set', null, null);
    if (!settings.apiKey) throw new ApiError('CRONBEAT_API_KEY is not set', null, null);
    this.base = `${settings.url}/api/v1`;
    this.key = settings.apiKey;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let answer: HttpAnswer;
    try {
      answer = await httpRequest({
        method,
        url: `${this.base}${path}`,
        headers: {
          authorization: `Bearer ${this.key}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: 30_000,
      });
    } catch (error) {
      throw new ApiError(`cannot reach ${this.base}: ${describeHttpFailure(error)}`, null, null);
    }
    const { status, ok, text } = answer;
    const parsed = text ? safeJson(text) : undefined;
    if (!ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(
        `${method} ${path}: ${status} ${error?.message ?? text.slice(0, 200)}`,
        status,
        error?.code ?? null,
        error?.message ?? null,
      );
    }
    return parsed as T;
  }

  /** Every check that passes the filters, oldest first, fetched a page of 1,000 at a time. */
  async listChecks(filters: { tag?: string[]; status?: string; slug?: string; q?: string } = {}): Promise<Check[]> {
    const query = new URLSearchParams({ limit: String(CHECKS_PAGE) });
    for (const tag of filters.tag ?? []) query.append('tag', tag);
    for (const name of ['status', 'slug', 'q'] as const) if (filters[name]) query.set(name, filters[name]);
    const found: Check[] = [];
    for (;;) {
      const page = await this.request<CheckList>('GET', `/checks?${query}`);
      found.push(...listIn<Check>(page, 'checks', 'GET /checks'));
      if (!page.nextCursor) return found;
      query.set('after', page.nextCursor);
    }
  }

  /** A check by UUID or by slug. */
  async findCheck(reference: string): Promise<Check> {
    if (isUuid(reference)) return this.request<Check>('GET', `/checks/${reference}`);
    const [match] = (await this.listChecks({ slug: reference })).filter((check) => check.slug === reference);
    if (!match) throw new ApiError(`no check with slug "${reference}"`, 404, 'CB_NOT_FOUND');
    return match;
  }

  /** Creates a check; with `upsertBySlug` an existing check with that slug is returned instead. */
  createCheck(input: CheckInput, upsertBySlug = false): Promise<Check> {
    return this.request<Check>('POST', '/checks', upsertBySlug ? { ...input, unique: ['slug'] } : input);
  }

  updateCheck(id: string, patch: CheckInput): Promise<Check> {
    return this.request<Check>('PATCH', `/checks/${id}`, patch);
  }

  pauseCheck(id: string): Promise<Check> {
    return this.request<Check>('POST', `/checks/${id}/pause`, {});
  }

  resumeCheck(id: string): Promise<Check> {
    return this.request<Check>('POST', `/checks/${id}/resume`, {});
  }

  async deleteCheck(id: string): Promise<void> {
    await this.request('DELETE', `/checks/${id}`);
  }

  async listMaintenanceWindows(): Promise<MaintenanceWindow[]> {
    const answer = await this.request<MaintenanceWindowList>('GET', '/maintenance-windows');
    return listIn<MaintenanceWindow>(answer, 'maintenanceWindows', 'GET /maintenance-windows');
  }

  /** A window by UUID or by name (the oldest of that name). */
  async findMaintenanceWindow(reference: string): Promise<MaintenanceWindow> {
    if (isUuid(reference)) return this.request<MaintenanceWindow>('GET', `/maintenance-windows/${reference}`);
    const match = (await this.listMaintenanceWindows()).find((window) => window.name === reference);
    if (!match) throw new ApiError(`no maintenance window named "${reference}"`, 404, 'CB_NOT_FOUND');
    return match;
  }

  createMaintenanceWindow(input: MaintenanceWindowInput): Promise<MaintenanceWindow> {
    return this.request<MaintenanceWindow>('POST', '/maintenance-windows', input);
  }

  updateMaintenanceWindow(id: string, changes: MaintenanceWindowChanges): Promise<MaintenanceWindow> {
    return this.request<MaintenanceWindow>('PATCH', `/maintenance-windows/${id}`, changes);
  }

  /** Ends the window (or its occurrence in force) now; the API answers 409 when none is in force. */
  endMaintenanceWindow(id: string): Promise<MaintenanceWindow> {
    return this.request<MaintenanceWindow>('POST', `/maintenance-windows/${id}/end`, {});
  }

  async deleteMaintenanceWindow(id: string): Promise<void> {
    await this.request('DELETE', `/maintenance-windows/${id}`);
  }

  /** Every channel of the project, oldest first. */
  async listChannels(): Promise<ChannelDetails[]> {
    return listIn<ChannelDetails>(await this.request<ChannelList>('GET', '/channels'), 'channels', 'GET /channels');
  }

  /** A channel by UUID or by name; a name that several channels share is an error listing their ids. */
  async findChannel(reference: string): Promise<ChannelDetails> {
    if (isUuid(reference)) return this.request<ChannelDetails>('GET', `/channels/${reference}`);
    const matches = (await this.listChannels()).filter((channel) => channel.name === reference);
    if (matches.length === 0) throw new ApiError(`no channel named "${reference}"`, 404, 'CB_NOT_FOUND');
    if (matches.length > 1) {
      const ids = matches.map((channel) => channel.id).join(', ');
      throw new ApiError(`${matches.length} channels are named "${reference}"; give one's id: ${ids}`, 409, 'CB_AMBIGUOUS');
    }
    return matches[0]!;
  }

  /** Creates a channel; unless `attachToAllChecks` is false, every existing check alerts it too (the API's default). */
  createChannel(input: ChannelInput): Promise<ChannelDetails> {
    return this.request<ChannelDetails>('POST', '/channels', input);
  }

  /** Renames a channel, chooses its events or replaces its config (secrets left out keep their stored values). */
  updateChannel(id: string, changes: ChannelChanges): Promise<ChannelDetails> {
    return this.request<ChannelDetails>('PATCH', `/channels/${id}`, changes);
  }

  async deleteChannel(id: string): Promise<void> {
    await this.request('DELETE', `/channels/${id}`);
  }

  /** Sends a made-up alert through the channel now; resolves with what happened, failed deliveries included. */
  testChannel(id: string): Promise<ChannelTestOutcome> {
    return this.request<ChannelTestOutcome>('POST', `/channels/${id}/test`, {});
  }

  /** Every channel kind the server knows, with its config schema and write-only fields. */
  async listChannelKinds(): Promise<ChannelKindInfo[]> {
    return listIn<ChannelKindInfo>(await this.request<unknown>('GET', '/channel-kinds'), 'kinds', 'GET /channel-kinds');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
