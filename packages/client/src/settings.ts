/**
 * What the client needs to reach Cronbeat. The client is installed on job
 * servers with nothing else of ours, so it reads its own environment here.
 */
export interface ClientSettings {
  /** Base URL of Cronbeat, without a trailing slash (CRONBEAT_URL). */
  url: string | null;
  /** Project ping key for slug URLs (CRONBEAT_PING_KEY). */
  pingKey: string | null;
  /** REST API key (CRONBEAT_API_KEY). */
  apiKey: string | null;
}

type Env = Record<string, string | undefined>;

export function settingsFrom(env: Env = process.env, overrides: Partial<ClientSettings> = {}): ClientSettings {
  const pick = (override: string | null | undefined, name: string) => override || env[name] || null;
  const url = pick(overrides.url, 'CRONBEAT_URL');
  return {
    url: url ? url.replace(/\/+$/, '') : null,
    pingKey: pick(overrides.pingKey, 'CRONBEAT_PING_KEY'),
    apiKey: pick(overrides.apiKey, 'CRONBEAT_API_KEY'),
  };
}
