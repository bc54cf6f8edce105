import { useEffect, useState } from 'react';
import { api } from './api';
import type { ChannelKindInfo } from './channelKinds';

/** The kinds do not change while the page is open: loaded once, again only after a failure. */
let kindsLoaded: Promise<ChannelKindInfo[]> | null = null;
const loadKinds = () => {
  kindsLoaded ??= api.channelKinds().catch((error: unknown) => {
    kindsLoaded = null;
    throw error;
  });
  return kindsLoaded;
};

/** Every channel kind with its config schema (GET /api/v1/channel-kinds), or why they could not be loaded. */
export function useChannelKinds(): { kinds: ChannelKindInfo[] | null; error: string | null } {
  const [kinds, setKinds] = useState<ChannelKindInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadKinds().then(
      (loaded) => live && setKinds(loaded),
      (failure: unknown) =>
        live && setError(`Could not load the channel kinds: ${failure instanceof Error ? failure.message : String(failure)}`),
    );
    return () => {
      live = false;
    };
  }, []);
  return { kinds, error };
}
