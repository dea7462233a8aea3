/** Replaces every occurrence of a secret in a message. Short values are left alone: they would match by chance. */
export function redactSecret(message: string, secret: string | undefined): string {
  if (!secret || secret.length < 8 || !message.includes(secret)) return message;
  return message.split(secret).join('[redacted]');
}
