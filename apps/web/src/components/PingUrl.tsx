import { CopyButton } from './CopyButton';

/** The check's ping URL, selectable, with a copy button. */
export function PingUrl({ url }: { url: string }) {
  return (
    <div className="ping-url">
      <code data-testid="ping-url">{url}</code>
      <CopyButton text={url} label="Copy URL" />
    </div>
  );
}
