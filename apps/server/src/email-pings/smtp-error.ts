/** An error smtp-server answers with its own reply code (`550`, `451`…) and our text. */
export function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}
