import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { usePoll } from '../usePoll';
import { CheckBadgePicker } from './CheckBadgePicker';
import { CopyButton } from './CopyButton';

/** Badges change only when tags do; look again now and then, not every few seconds. */
const REFRESH_MS = 60_000;

/** Status badges to put in a README: one for the whole project, one per tag, and one for any check, each with its Markdown. */
export function Badges() {
  const { project, canAdmin } = useSession();
  const badges = usePoll(() => api.badges(), REFRESH_MS, project.id);
  const [rotateError, setRotateError] = useState<string | null>(null);
  const rotate = async () => {
    if (!window.confirm('Rotate the badge key? Every badge of this project at its old address stops showing until you paste the new one.'))
      return;
    setRotateError(null);
    try {
      await api.rotateBadgeKey();
      badges.reload();
    } catch (failure) {
      setRotateError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <section aria-labelledby="badges-title">
      <h2 id="badges-title">Status badges</h2>
      <p className="muted">
        Anyone with a badge's address sees whether its checks are up, late or down, and nothing else. Paste the Markdown into a README.
      </p>
      {badges.error && <p className="error">Could not load the badges: {badges.error.message}</p>}
      <ul className="rows badges">
        {badges.data?.map((badge) => {
          const name = badge.tag === null ? 'All checks' : `Tag ${badge.tag}`;
          // Brackets in a tag would end the Markdown image text early.
          const markdownAlt = `${badge.label} status`.replace(/[[\]\\]/g, '\\$&');
          return (
            <li key={badge.tag ?? ''}>
              <span className="badge-name">{name}</span>
              <img src={badge.svg} alt={`${badge.label} status`} height={20} />
              <CopyButton text={`![${markdownAlt}](${badge.svg})`} label={`Copy Markdown for ${name}`} />
              <a href={badge.json}>JSON</a>
              <a href={badge.shields}>Shields</a>
            </li>
          );
        })}
      </ul>
      <CheckBadgePicker />
      {canAdmin && (
        <p>
          <button type="button" className="danger" onClick={rotate}>
            Rotate badge key
          </button>
        </p>
      )}
      {rotateError && <p className="error">{rotateError}</p>}
    </section>
  );
}
