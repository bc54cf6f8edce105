import { useEffect, useState } from 'react';
import { api } from '../api';
import { outputTail } from '../incident';
import type { Ping } from '../types';

type Body = { state: 'loading' } | { state: 'loaded'; text: string } | { state: 'failed'; message: string };

/**
 * The last lines of what the failing run printed (the body of its fail
 * ping), loaded once per ping. React escapes it: it is the job's text,
 * never markup.
 */
export function IncidentOutput({ checkId, ping }: { checkId: string; ping: Ping | null }) {
  const [body, setBody] = useState<Body>({ state: 'loading' });
  const n = ping?.n ?? null;
  const hasBody = (ping?.bodySize ?? 0) > 0;

  useEffect(() => {
    if (n === null || !hasBody) return;
    let current = true;
    setBody({ state: 'loading' });
    api.pingBody(checkId, n).then(
      (text) => current && setBody({ state: 'loaded', text }),
      (error: unknown) => current && setBody({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [checkId, n, hasBody]);

  if (!ping) return null;
  if (!hasBody) return <p className="incident-output muted">The failing run (ping #{ping.n}) sent no output.</p>;
  const tail = body.state === 'loaded' ? outputTail(body.text) : null;
  return (
    <figure className="incident-output">
      <figcaption>
        Output of the failing run (ping #{ping.n}
        {tail && tail.hiddenLines > 0 ? `, last lines; ${tail.hiddenLines} earlier not shown` : ''})
      </figcaption>
      {body.state === 'loading' && <p className="muted">Loading…</p>}
      {body.state === 'failed' && <p className="error">Could not load the output: {body.message}</p>}
      {/* Wrapped, never scrolled: long lines break, and at most TAIL_LINES lines show. */}
      {tail && <pre>{tail.text}</pre>}
    </figure>
  );
}
