import { DeliveryError, type NetworkGuard, statusLine } from '@cronbeat/notify';
import { BadRequest } from '../../../errors';

/** A check as Healthchecks' API v3 lists it for a read-write key: the fields an import keeps. */
export interface HealthchecksCheck {
  uuid: string;
  name: string;
  slug: string;
  tags: string;
  desc: string;
  grace: number;
  timeout?: number;
  schedule?: string;
  tz?: string;
  manual_resume: boolean;
  methods?: string;
  success_kw?: string;
  failure_kw?: string;
  /** Start keywords of its email pings (Healthchecks v3.x). */
  start_kw?: string;
}

export interface HealthchecksIntegration {
  id: string;
  name: string;
  kind: string;
}

/** A Healthchecks project's answer may be long (hundreds of checks); more than this is refused rather than cut. */
const MAX_ANSWER_BYTES = 10 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/**
 * GETs `<site>/api/v3/<path>` through the network guard with the API key.
 * Nothing of a failed answer is shown (invariant 8): only its status line.
 */
async function getJson(guard: NetworkGuard, site: string, path: string, apiKey: string): Promise<unknown> {
  const url = `${site.replace(/\/+$/, '')}/api/v3/${path}`;
  let answer: Awaited<ReturnType<NetworkGuard['request']>>;
  try {
    answer = await guard.request(url, {
      method: 'GET',
      headers: { 'x-api-key': apiKey, accept: 'application/json', 'user-agent': 'Cronbeat import' },
      body: '',
      timeoutMs: TIMEOUT_MS,
      maxResponseBytes: MAX_ANSWER_BYTES,
    });
  } catch (error) {
    if (error instanceof DeliveryError) throw new BadRequest(`from: could not read ${url}: ${error.message}`);
    throw error;
  }
  if (answer.status === 401) throw new BadRequest('apiKey: Healthchecks refused it (HTTP 401): give a read-write API key of the project');
  if (answer.status !== 200) throw new BadRequest(`from: ${url} answered ${statusLine(answer.status)}`);
  if (answer.body.length >= MAX_ANSWER_BYTES) throw new BadRequest(`from: ${url} answered more than ${MAX_ANSWER_BYTES} bytes`);
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw new BadRequest(`from: ${url} did not answer JSON: is it a Healthchecks site?`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The checks and integrations of the project the key belongs to. */
export async function readHealthchecksProject(
  guard: NetworkGuard,
  site: string,
  apiKey: string,
): Promise<{ checks: HealthchecksCheck[]; integrations: HealthchecksIntegration[] }> {
  const listed = await getJson(guard, site, 'checks/', apiKey);
  if (!isObject(listed) || !Array.isArray(listed.checks))
    throw new BadRequest('from: the checks answer has no "checks" list: is it a Healthchecks site?');
  const checks = listed.checks.filter(isObject);
  if (checks.some((check) => typeof check.uuid !== 'string')) {
    throw new BadRequest("apiKey: this is a read-only key, which does not reveal the checks' uuids; give a read-write key");
  }
  const channels = await getJson(guard, site, 'channels/', apiKey);
  const integrations = isObject(channels) && Array.isArray(channels.channels) ? channels.channels.filter(isObject) : [];
  return {
    checks: checks as unknown as HealthchecksCheck[],
    integrations: integrations.map((channel) => ({
      id: String(channel.id),
      name: String(channel.name ?? ''),
      kind: String(channel.kind ?? ''),
    })),
  };
}
