import { CopyButton } from './CopyButton';

/**
 * The check's ping URL, selectable, with a copy button; and its email
 * address when the server takes pings by email (for jobs that can only
 * send mail), which is as secret as the URL.
 */
export function PingUrl({ url, email }: { url: string; email?: string | undefined }) {
  return (
    <>
      <div className="ping-url">
        <code data-testid="ping-url">{url}</code>
        <CopyButton text={url} label="Copy URL" />
      </div>
      {email && (
        <div className="ping-url">
          <span className="muted">or mail</span> <code data-testid="ping-email">{email}</code>
          <CopyButton text={email} label="Copy address" />
        </div>
      )}
    </>
  );
}
