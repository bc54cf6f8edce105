import { ChannelConfigError } from './types';

export { ChannelConfigError };

/** The input as an object, or a ChannelConfigError. */
export function objectOf(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new ChannelConfigError('config', 'config must be an object');
  return input as Record<string, unknown>;
}

/** An http(s) URL; channels post to it. */
export function httpUrl(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ChannelConfigError(field, `${field} must be a URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ChannelConfigError(field, `${field} must be a URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ChannelConfigError(field, `${field} must start with https:// or http://`);
  return url.toString();
}
