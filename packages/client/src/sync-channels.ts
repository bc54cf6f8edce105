import { ApiError, type Channel, type ChannelDetails, type ChannelInput, type ChannelKindInfo, type CronbeatApi } from './api.js';
import type { DeclaredChannel } from './channels-file.js';
import { placeOf } from './file-places.js';
import type { MonitorsFile } from './monitors-file.js';
import { DeclarationError, sameJson } from './sync-references.js';

/**
 * One channel's part of a sync; channels are matched by name. A change
 * holds no secret's value, only the names of the secrets the file gives
 * (`secrets`), so a plan can be printed or written as JSON as it is.
 * `unchanged` channels with secrets still get them sent again: the API
 * never shows a secret, so the file's is taken each sync.
 */
export type ChannelChange =
  | { action: 'create'; name: string; kind: string; config: Record<string, unknown>; events?: string[]; secrets: string[] }
  | { action: 'update'; name: string; id: string; kind: string; fields: ChannelFieldChange[]; secrets: string[] }
  | { action: 'unchanged'; name: string; id: string; kind: string; secrets: string[] }
  | { action: 'delete'; name: string; id: string; kind: string };

/** A changed config field (by its name) or `events`. */
export interface ChannelFieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** What each change sends: the declared channel with its secrets, kept out of the change itself. */
const declaredOf = new WeakMap<ChannelChange, DeclaredChannel>();

/** The id a check's `channels` holds, until sync creates it, for a channel the same sync creates. */
export const newChannelId = (name: string) => `(new) ${name}`;

/**
 * What the server must do so the project's channels match the file's
 * `channels:` list: missing ones created, changed ones updated, and with
 * `prune` the others deleted. Of several channels of one name on the
 * server, the oldest is the file's. Throws DeclarationError, naming the
 * line, for an unknown kind, a field the kind does not have or lacks, a
 * secret written in clear, and a kind other than the server's channel's.
 */
export function planChannels(file: MonitorsFile, existing: ChannelDetails[], kinds: ChannelKindInfo[], prune: boolean): ChannelChange[] {
  const byName = new Map<string, ChannelDetails>();
  for (const channel of existing) if (!byName.has(channel.name)) byName.set(channel.name, channel);
  const declared = file.channels ?? [];
  const changes = declared.map((channel): ChannelChange => {
    const info = judge(channel, kinds);
    // A secret written as null clears it: that is a visible change (see changedFields), not a secret sent.
    const secrets = info.secrets.filter((field) => channel.config[field] !== undefined && channel.config[field] !== null);
    const current = byName.get(channel.name);
    let change: ChannelChange;
    if (!current) {
      const config = Object.fromEntries(Object.entries(channel.config).filter(([field]) => !info.secrets.includes(field)));
      change = { action: 'create', name: channel.name, kind: channel.kind, config, secrets };
      if (channel.events) change.events = channel.events;
    } else {
      if (current.kind !== channel.kind) {
        const where = placeOf(channel, 'kind', `channels (${channel.name}).kind`);
        throw new DeclarationError(
          `${where}: the channel "${channel.name}" on the server is of kind ${current.kind}; a channel's kind cannot change (rename one of them)`,
        );
      }
      const fields = changedFields(channel, current, info);
      change =
        fields.length === 0
          ? { action: 'unchanged', name: channel.name, id: current.id, kind: current.kind, secrets }
          : { action: 'update', name: channel.name, id: current.id, kind: current.kind, fields, secrets };
    }
    declaredOf.set(change, channel);
    return change;
  });
  if (prune) {
    const names = new Set(declared.map((channel) => channel.name));
    for (const channel of existing) {
      if (!names.has(channel.name) || byName.get(channel.name) !== channel)
        changes.push({ action: 'delete', name: channel.name, id: channel.id, kind: channel.kind });
    }
  }
  return changes;
}

/** The kind's description, once the declared channel has passed what can be judged before sending. */
function judge(channel: DeclaredChannel, kinds: ChannelKindInfo[]): ChannelKindInfo {
  const at = (key: string, fallback: string) => placeOf(channel, key, `channels (${channel.name})${fallback}`);
  const info = kinds.find((kind) => kind.kind === channel.kind);
  if (!info) {
    throw new DeclarationError(
      `${at('kind', '.kind')}: unknown kind "${channel.kind}" (one of ${kinds.map((kind) => kind.kind).join(', ')})`,
    );
  }
  const properties = info.schema.properties;
  if (properties) {
    for (const field of Object.keys(channel.config)) {
      if (Object.hasOwn(properties, field)) continue;
      // The API's shape nests settings under `config`; a file writes them beside name and kind.
      const hint = field === 'config' ? '; write the settings beside name and kind, without config:' : '';
      throw new DeclarationError(
        `${at(`config.${field}`, `.${field}`)}: not a setting of ${info.kind} channels (they take ${Object.keys(properties).join(', ')})${hint}`,
      );
    }
  }
  for (const field of info.schema.required ?? []) {
    const value = channel.config[field];
    if (value === undefined || value === null)
      throw new DeclarationError(`${at('channel', '')}: ${field} is required for ${info.kind} channels`);
  }
  for (const field of info.secrets) {
    const value = channel.config[field];
    if (value !== undefined && value !== null && !channel.fromEnvironment.includes(field))
      throw new DeclarationError(
        `${at(`config.${field}`, `.${field}`)}: ${field} is a secret: take it from the environment (${field}: \${SOME_VARIABLE}) rather than writing it in the file`,
      );
  }
  return info;
}

/**
 * The visible fields that differ: config fields but secrets (the server
 * shows those only as set), a field the file leaves out compared as its
 * default, and `events` when the file gives them.
 */
function changedFields(channel: DeclaredChannel, current: ChannelDetails, info: ChannelKindInfo): ChannelFieldChange[] {
  const stored = current.config ?? {};
  const defaults = Object.fromEntries(
    Object.entries(info.schema.properties ?? {}).flatMap(([field, schema]) =>
      schema.default === undefined ? [] : [[field, schema.default]],
    ),
  );
  const fields: ChannelFieldChange[] = [];
  const names = new Set([...Object.keys(channel.config), ...Object.keys(stored)]);
  for (const field of [...names].sort()) {
    if (info.secrets.includes(field)) {
      // The server shows a set secret as { set: true } and leaves out one that is not set.
      if (channel.config[field] === null && stored[field] !== undefined) fields.push({ field, from: { set: true }, to: null });
      continue;
    }
    const to = channel.config[field] ?? defaults[field] ?? null;
    const from = stored[field] ?? null;
    if (!sameSetting(from, to)) fields.push({ field, from, to });
  }
  if (channel.events) {
    const from = [...current.events].sort();
    const to = [...new Set(channel.events)].sort();
    if (JSON.stringify(from) !== JSON.stringify(to)) fields.push({ field: 'events', from, to });
  }
  return fields;
}

/**
 * Equal as the server keeps them: it writes URLs in their normal form
 * (`https://example.com/`) and a single email recipient as a list.
 */
function sameSetting(stored: unknown, declared: unknown): boolean {
  if (typeof stored === 'string' && typeof declared === 'string') return normalUrl(stored) === normalUrl(declared);
  if (Array.isArray(stored) && typeof declared === 'string') return sameSetting(stored, [declared]);
  return sameJson(stored, declared);
}

function normalUrl(text: string): string {
  if (!/^https?:\/\//i.test(text)) return text;
  try {
    return new URL(text).href;
  } catch {
    return text;
  }
}

/**
 * The channels a check's `channels:` may name once the sync is done: the
 * server's, but those `prune` deletes, and the file's new ones under a
 * stand-in id (`newChannelId`) that `applyChannelChanges` resolves.
 */
export function channelsAfter(changes: ChannelChange[], existing: Channel[]): Channel[] {
  const deleted = new Set(changes.flatMap((change) => (change.action === 'delete' ? [change.id] : [])));
  const created = changes.flatMap((change) =>
    change.action === 'create' ? [{ id: newChannelId(change.name), name: change.name, kind: change.kind as Channel['kind'] }] : [],
  );
  return [...existing.filter((channel) => !deleted.has(channel.id)), ...created];
}

/**
 * A check's channel names that no channel will have after the sync, found
 * before anything is sent: a name only a deleted channel has (`--prune`), or
 * none has.
 */
export function refuseMissingChannels(checks: MonitorsFile['checks'], after: Channel[], existing: Channel[]): void {
  const names = new Set(after.map((channel) => channel.name));
  const onServer = new Set(existing.map((channel) => channel.name));
  for (const check of checks) {
    if (!Array.isArray(check.channels)) continue;
    for (const name of check.channels) {
      if (names.has(name)) continue;
      const problem = onServer.has(name)
        ? `channel "${name}" is not in this file's channels, so --prune deletes it`
        : `no channel "${name}" in this file or on the server`;
      throw new DeclarationError(`${placeOf(check, 'channels', `${check.slug}.channels`)}: ${problem}`);
    }
  }
}

/**
 * Creates and updates channels (before the checks, which may name them) and
 * returns the ids of those it created by name. New channels are attached
 * to no check: the checks' own `channels` say which alert them. A config
 * the server refuses is a DeclarationError naming the channel's line.
 */
export async function applyChannelChanges(api: CronbeatApi, changes: ChannelChange[]): Promise<Map<string, string>> {
  const created = new Map<string, string>();
  for (const change of changes) {
    const channel = declaredOf.get(change);
    if (!channel || change.action === 'delete') continue;
    const config = channel.config as Record<string, unknown>;
    // The server judges the event names (a 400 naming `events.0`), as it judges the config.
    const events = channel.events as ChannelInput['events'];
    await placedErrors(channel, async () => {
      if (change.action === 'create') {
        const input = { kind: channel.kind as ChannelDetails['kind'], name: channel.name, config, attachToAllChecks: false };
        created.set(change.name, (await api.createChannel(events ? { ...input, events } : input)).id);
      } else if (change.action === 'update') {
        const eventsChanged = events && change.fields.some((field) => field.field === 'events');
        await api.updateChannel(change.id, eventsChanged ? { config, events } : { config });
      } else if (change.secrets.length > 0) {
        await api.updateChannel(change.id, { config });
      }
    });
  }
  return created;
}

export async function applyChannelDeletions(api: CronbeatApi, changes: ChannelChange[]): Promise<void> {
  for (const change of changes) if (change.action === 'delete') await api.deleteChannel(change.id);
}

/** A 400 for a channel is a mistake of the file: said with the channel's line. */
async function placedErrors(channel: DeclaredChannel, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (error instanceof ApiError && error.status === 400)
      throw new DeclarationError(`${placeOf(channel, 'channel', `channels (${channel.name})`)}: ${error.message}`);
    throw error;
  }
}

/** A check's `channels` with the stand-ins for channels this sync created replaced by their ids. */
export function withCreatedChannels<T extends { channels?: string[] | '*' }>(input: T, created: Map<string, string>): T {
  if (!Array.isArray(input.channels) || created.size === 0) return input;
  const prefix = newChannelId('');
  const ids = input.channels.map((id) => (id.startsWith(prefix) ? (created.get(id.slice(prefix.length)) ?? id) : id));
  return { ...input, channels: ids };
}

const show = (value: unknown) => (value === null || value === undefined ? '(none)' : JSON.stringify(value));

/** The channels' part of the plan, as `formatPlan` writes the checks'; a secret appears by its name only. */
export function formatChannelPlan(changes: ChannelChange[]): string {
  const lines: string[] = [];
  for (const change of changes) {
    const title = `channel ${JSON.stringify(change.name)} (${change.kind})`;
    if (change.action === 'create') {
      lines.push(`+ create ${title}`);
      for (const [field, value] of Object.entries(change.config)) lines.push(`    ${field}: ${show(value)}`);
      for (const field of change.secrets) lines.push(`    ${field}: (secret, from the file's environment)`);
      if (change.events) lines.push(`    events: ${show(change.events)}`);
    } else if (change.action === 'update') {
      lines.push(`~ update ${title}`);
      for (const field of change.fields) lines.push(`    ${field.field}: ${show(field.from)} → ${show(field.to)}`);
      for (const field of change.secrets) lines.push(`    ${field}: (secret, sent again)`);
    } else if (change.action === 'delete') lines.push(`- delete ${title}`);
  }
  const count = (action: ChannelChange['action']) => changes.filter((change) => change.action === action).length;
  const resent = changes.filter((change) => change.action === 'unchanged' && change.secrets.length > 0).length;
  lines.push(
    `channels: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged` +
      (resent > 0 ? ` (secrets of ${resent} sent again)` : ''),
  );
  return `${lines.join('\n')}\n`;
}
