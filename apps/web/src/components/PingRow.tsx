import { readSkippedPing } from '@cronbeat/contract';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { duration } from '../time';
import type { Ping } from '../types';
import { TimeAgo } from './TimeAgo';

/** One ping; a body, when one was sent, loads and expands on demand. */
export function PingRow({ checkId, ping }: { checkId: string; ping: Ping }) {
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState<string | null>(null);

  const toggle = () => {
    setOpen(!open);
    if (!open && body === null) {
      api.pingBody(checkId, ping.n).then(setBody, (error: Error) => setBody(`(${error.message})`));
    }
  };

  return (
    <li className={`ping ping-${ping.kind}`}>
      <div className="ping-line">
        <span className="ping-kind">{ping.kind}</span>
        {ping.kind === 'skipped' && <SkippedBy checkId={checkId} n={ping.n} />}
        <TimeAgo at={ping.createdAt} />
        {ping.duration !== null && <span>took {duration(ping.duration / 1000)}</span>}
        {ping.exitStatus !== null && <span>exit {ping.exitStatus}</span>}
        {ping.keyword && (
          <span className="ping-keyword" title="The keyword in its body that decided this ping's kind">
            keyword “{ping.keyword}”
          </span>
        )}
        <span className="muted">
          {ping.scheme} {ping.method}
        </span>
        {ping.remoteAddr && <span className="muted">from {ping.remoteAddr}</span>}
        {ping.userAgent && (
          <span className="muted ua" title={ping.userAgent}>
            {ping.userAgent}
          </span>
        )}
      </div>
      {ping.bodySize > 0 && (
        <div className="ping-body">
          <button type="button" className="link" aria-expanded={open} onClick={toggle}>
            {open ? 'Hide body' : `Show body (${ping.bodySize} bytes)`}
          </button>
          {open && <pre>{body ?? 'Loading…'}</pre>}
        </div>
      )}
    </li>
  );
}

type Holder = ReturnType<typeof readSkippedPing>;

/**
 * Who held the run lock when a runner skipped the job: read from the
 * skipped ping's body (a line the server writes), fetched with the row, so
 * the log says "held by web-2 (pid 4242) since 3 minutes ago" without a click.
 */
function SkippedBy({ checkId, n }: { checkId: string; n: number }) {
  const [holder, setHolder] = useState<Holder | 'unknown'>(null);
  useEffect(() => {
    api.pingBody(checkId, n).then(
      (body) => setHolder(readSkippedPing(body) ?? 'unknown'),
      () => setHolder('unknown'),
    );
  }, [checkId, n]);
  if (holder === null) return null;
  if (holder === 'unknown') return <span className="ping-holder">the run lock was held</span>;
  return (
    <span className="ping-holder">
      held by {holder.host} (pid {holder.pid}) since <TimeAgo at={holder.since} />
    </span>
  );
}
