import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  data: T | undefined;
  error: Error | null;
  /** Fetch again now (after a change the user made). */
  reload: () => void;
}

/**
 * Loads `load()` and again every `intervalMs` while the tab is visible
 * (`null`: no more polling, for what cannot change any more; the data
 * stays). The previous data stays on screen while a refresh is in flight, so
 * nothing flickers; a failed refresh keeps the last good data and reports the
 * error.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number | null, key: string): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    loadRef.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(null);
      },
      (failure: unknown) => {
        if (mine !== generation.current) return;
        setError(failure instanceof Error ? failure : new Error(String(failure)));
      },
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what is loaded; a new key means load again.
  useEffect(() => {
    setData(undefined);
    reload();
  }, [key, reload]);

  // Apart from the load above, so that polling stopping (or its pace changing) neither drops the data nor reads again.
  useEffect(() => {
    if (intervalMs === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, reload]);

  return { data, error, reload };
}
