/** How upstream masks a secret for display: its first and last four characters around 24 asterisks. */
const maskMiddle = '*'.repeat(24);

/**
 * Masks a secret as upstream's `EnvVar.Redacted()` does, so clients that recognise its masks work: up to 8
 * characters become all asterisks, longer ones keep their first and last four around 24 asterisks.
 */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '*'.repeat(secret.length);
  return `${secret.slice(0, 4)}${maskMiddle}${secret.slice(-4)}`;
}

/** Whether a value sent back is a mask (or upstream's `<redacted>`), meaning "keep the stored secret". */
export function isMasked(value: string): boolean {
  if (value === '<redacted>') return true;
  if (value.length > 0 && value.length <= 8 && /^\*+$/.test(value)) return true;
  return value.length === 32 && value.slice(4, 28) === maskMiddle;
}

/** A key value in upstream's `EnvVar` JSON shape, masked: `{value, env_var, from_env}`. */
export function maskedEnvVar(value: string, reference: string | undefined) {
  return { value: maskSecret(value), env_var: reference ?? '', from_env: reference !== undefined };
}

/** A URL with the password of its user info masked (`http://user:****@host`); other URLs as they are. */
export function maskUrlPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password === '') return url;
  parsed.password = maskSecret(decodeURIComponent(parsed.password));
  return parsed.toString();
}
