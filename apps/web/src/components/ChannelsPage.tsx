import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { usePoll } from '../usePoll';
import { ChannelCard } from './ChannelCard';
import { ChannelForm } from './ChannelForm';

/** Where alerts go: email, Slack and webhooks, and which checks use each. */
export function ChannelsPage() {
  const { project, canWrite } = useSession();
  const channels = usePoll(() => api.channels(), 10_000, project.id);
  const checks = usePoll(() => api.checks(), 30_000, project.id);
  const [adding, setAdding] = useState(false);

  return (
    <section>
      <div className="page-head">
        <h1>Channels</h1>
        {canWrite && !adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add channel
          </button>
        )}
      </div>
      {adding && (
        <ChannelForm
          onDone={() => {
            setAdding(false);
            channels.reload();
            // A new channel may have been attached to every check.
            checks.reload();
          }}
        />
      )}
      {channels.error && <p className="error">Could not load channels: {channels.error.message}</p>}
      {channels.data?.length === 0 && !adding && <p className="muted">No channels yet. Add one so that a down check reaches someone.</p>}
      <ul className="cards">
        {channels.data?.map((channel) => (
          <ChannelCard
            key={channel.id}
            channel={channel}
            checks={checks.data ?? []}
            canWrite={canWrite}
            onChange={() => {
              channels.reload();
              checks.reload();
            }}
          />
        ))}
      </ul>
    </section>
  );
}
