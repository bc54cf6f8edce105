import { api } from '../api';
import { usePoll } from '../usePoll';
import { CopyButton } from './CopyButton';

/** A check's badge address changes only with its slug or the project's badge key: look again now and then. */
const REFRESH_MS = 5 * 60_000;

/**
 * One check's status badge, with its Markdown to copy and its JSON and
 * shields.io addresses; shown in Settings › Status badges, and on the
 * check's own page with the Markdown written out (`showMarkdown`).
 */
export function CheckBadge({ checkId, showMarkdown = false }: { checkId: string; showMarkdown?: boolean }) {
  const badge = usePoll(() => api.checkBadge(checkId), REFRESH_MS, checkId);
  if (badge.error) return <p className="error">Could not load the check’s badge: {badge.error.message}</p>;
  if (!badge.data) return null;
  const { label, svg, json, shields } = badge.data;
  // Brackets in a name would end the Markdown image text early.
  const markdownAlt = `${label} status`.replace(/[[\]\\]/g, '\\$&');
  const markdown = `![${markdownAlt}](${svg})`;
  return (
    <>
      <ul className="rows badges" data-testid="check-badge">
        <li>
          <span className="badge-name">{label}</span>
          <img src={svg} alt={`${label} status`} height={20} />
          <CopyButton text={markdown} label={`Copy Markdown for ${label}`} />
          <a href={json}>JSON</a>
          <a href={shields}>Shields</a>
        </li>
      </ul>
      {showMarkdown && (
        <pre className="badge-markdown">
          <code>{markdown}</code>
        </pre>
      )}
    </>
  );
}
