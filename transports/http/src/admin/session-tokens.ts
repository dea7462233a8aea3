import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** How long a session lasts, as upstream's: 30 days. */
export const sessionLifetimeSeconds = 30 * 24 * 60 * 60;

/** Whom a token is for: the admin account as it is now. A new password hash makes every older token invalid. */
export interface SessionSubject {
  username: string;
  passwordHash: string;
}

interface TokenPayload {
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  jti: string;
}

/**
 * Stateless session tokens: `payload.signature`, HMAC-SHA256 over the payload with a key derived from a shared
 * secret and the admin's password hash. Instances sharing the secret (through the store) accept each other's
 * tokens, and changing the password invalidates them all. Logout revokes a token on this instance only.
 */
export class SessionTokens {
  readonly #secret: Buffer;
  readonly #now: () => number;
  /** Revoked token ids with their expiry, forgotten once they would have expired anyway. */
  readonly #revoked = new Map<string, number>();

  constructor(secret: Buffer, now: () => number) {
    this.#secret = secret;
    this.#now = now;
  }

  /** A new token for `subject`, valid for {@link sessionLifetimeSeconds}. */
  issue(subject: SessionSubject): string {
    const payload: TokenPayload = {
      sub: subject.username,
      exp: Math.floor(this.#now() / 1000) + sessionLifetimeSeconds,
      jti: randomUUID(),
    };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${encoded}.${this.#sign(encoded, subject).toString('base64url')}`;
  }

  /** Whether `token` was issued for `subject`, has not expired and was not revoked here. */
  verify(token: string, subject: SessionSubject): boolean {
    const payload = this.#payloadOf(token, subject);
    return payload !== undefined && !this.#revoked.has(payload.jti);
  }

  /** Refuses `token` from now on (on this instance); an invalid token is ignored. */
  revoke(token: string, subject: SessionSubject): void {
    const payload = this.#payloadOf(token, subject);
    if (payload === undefined) return;
    const nowSeconds = this.#now() / 1000;
    for (const [id, expiry] of this.#revoked) if (expiry <= nowSeconds) this.#revoked.delete(id);
    this.#revoked.set(payload.jti, payload.exp);
  }

  #payloadOf(token: string, subject: SessionSubject): TokenPayload | undefined {
    const [encoded, signature, extra] = token.split('.');
    if (encoded === undefined || signature === undefined || extra !== undefined) return undefined;
    const expected = this.#sign(encoded, subject);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let payload: TokenPayload;
    try {
      payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as TokenPayload;
    } catch {
      return undefined;
    }
    if (payload.sub !== subject.username || !(payload.exp > this.#now() / 1000)) return undefined;
    return payload;
  }

  #sign(encoded: string, subject: SessionSubject): Buffer {
    const key = createHmac('sha256', this.#secret)
      .update(`bifrost-session\0${subject.username}\0${subject.passwordHash}`)
      .digest();
    return createHmac('sha256', key).update(encoded).digest();
  }
}
