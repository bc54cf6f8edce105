import type { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { captureBody, type StoredBody, storedBody } from '../ping/body';

/** A message as received: its first `limit` bytes, and whether it went over. */
export interface ReceivedMessage {
  bytes: Buffer;
  oversized: boolean;
}

/**
 * Reads a DATA stream to its end as a ping's body is read (captureBody),
 * keeping at most `limit` bytes. The rest is read and dropped, not left
 * unread: the client sends the whole message before it reads the answer,
 * so stopping would stall the connection instead of answering 552.
 */
export async function readMessage(stream: Readable & { sizeExceeded?: boolean }, limit: number): Promise<ReceivedMessage> {
  const { bytes, size } = await captureBody(stream, limit);
  return { bytes, oversized: size > limit || stream.sizeExceeded === true };
}

/**
 * What a ping mail stores as its body: `Subject: …`, a blank line and the
 * text (for HTML-only mail, the text of its HTML), cut at `limit` bytes as
 * an HTTP ping's body is. The same text is what the check's keywords are
 * looked for in, so a subject such as "Backup FAILED" decides the kind.
 * Attachments are left out. The message is at most EMAIL_PINGS_MAX_BYTES,
 * which bounds the parsing too.
 */
export async function pingBodyOf(message: Buffer, limit: number): Promise<StoredBody> {
  const mail = await simpleParser(message, { skipImageLinks: true, skipTextToHtml: true });
  const subject = (mail.subject ?? '').replace(/\s+/g, ' ').trim();
  const text = (mail.text ?? '').replace(/\r\n/g, '\n').trim();
  // NUL would make the body binary (Postgres text cannot hold it); mail text has no use for it.
  const composed = `Subject: ${subject}${text === '' ? '' : `\n\n${text}`}`.replaceAll('\0', '');
  const bytes = Buffer.from(composed, 'utf8');
  return storedBody({ bytes: bytes.subarray(0, limit), size: bytes.length });
}
