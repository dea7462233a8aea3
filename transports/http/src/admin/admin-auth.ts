import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalidRequest } from '../error-response.js';
import type { AdminAuthConfig } from './admin-options.js';
import {
  checkAdminPassword,
  deriveSlowKey,
  hashAdminPassword,
  verifyAdminPassword,
} from './admin-password.js';
import { type AdminSettings, settingKeys } from './admin-settings.js';
import type { RequestCredentials } from './request-credentials.js';
import { SessionTokens } from './session-tokens.js';

/** The admin account as stored: the password only as its scrypt hash. */
export interface AdminAccount {
  is_enabled: boolean;
  admin_username: string;
  password_hash: string;
  disable_auth_on_inference: boolean;
  /** Which config-file `auth_config` this account last came from, so an edited file wins over the store at start. */
  file_fingerprint?: string;
}

/** The password placeholder `GET /api/config` shows; sent back in a `PUT`, it keeps the stored password. */
export const redactedPassword = '<redacted>';

/** Successful Basic checks are remembered this long, so a client sending Basic on every call costs one scrypt. */
const basicCacheMs = 5 * 60 * 1000;
const basicCacheSize = 128;
/** How stale this instance's copy of a shared store's account may get before it is read again. */
const accountRefreshMs = 5000;

/**
 * The admin account and what proves a caller is its holder: HTTP Basic against the scrypt hash, or a session token.
 * The plain password is hashed at start and dropped; it is never kept, logged or returned.
 */
export class AdminAuth {
  #account: AdminAccount | undefined;
  readonly #settings: AdminSettings;
  readonly #secret: Buffer;
  readonly #tokens: SessionTokens;
  readonly #now: () => number;
  /** HMAC of credentials that passed, with when that stops counting. */
  readonly #basicPassed = new Map<string, number>();
  #accountReadAt = 0;

  private constructor(settings: AdminSettings, secret: Buffer, now: () => number) {
    this.#settings = settings;
    this.#secret = secret;
    this.#now = now;
    this.#tokens = new SessionTokens(secret, now);
  }

  /**
   * Loads the account: the config file's `auth_config` when it differs from the one last loaded from the file,
   * else what the store holds (the management API may have changed it since).
   */
  static async start(options: {
    auth: AdminAuthConfig | undefined;
    settings: AdminSettings;
    now: () => number;
  }): Promise<AdminAuth> {
    const { auth, settings, now } = options;
    const { secret } = await settings.getOrCreate(settingKeys.sessionSecret, {
      secret: randomBytes(32).toString('base64url'),
    });
    const admin = new AdminAuth(settings, Buffer.from(secret, 'base64url'), now);
    const stored = await settings.get<AdminAccount>(settingKeys.adminAccount);
    admin.#account = stored;
    admin.#accountReadAt = now();
    if (auth !== undefined) {
      const fingerprint = await admin.#fingerprint(auth);
      if (stored?.file_fingerprint !== fingerprint) {
        admin.#account = await admin.#accountFromFile(auth, stored, fingerprint);
        if (admin.#account) await settings.set(settingKeys.adminAccount, admin.#account);
      }
    }
    return admin;
  }

  /**
   * Reads the account again when the copy is older than a few seconds, so a password changed on another instance
   * sharing the store takes effect here too (and ends the sessions signed for the old one).
   */
  async refresh(): Promise<void> {
    if (!this.#settings.persistent || this.#now() - this.#accountReadAt < accountRefreshMs) return;
    this.#accountReadAt = this.#now();
    let stored: AdminAccount | undefined;
    try {
      stored = await this.#settings.get<AdminAccount>(settingKeys.adminAccount);
    } catch {
      // Store outage: keep checking against the account last read, rather than lock the admin out or let anyone in.
      return;
    }
    if (stored?.password_hash !== this.#account?.password_hash) this.#basicPassed.clear();
    this.#account = stored;
  }

  /**
   * The account a config file's `auth_config` (new or edited since last loaded) makes: a new admin when it names
   * one, else the stored account with the file's switches (`is_enabled: false` turns auth off).
   */
  async #accountFromFile(
    auth: AdminAuthConfig,
    stored: AdminAccount | undefined,
    fingerprint: string,
  ): Promise<AdminAccount | undefined> {
    if (auth.admin_username === undefined || auth.admin_password === undefined) {
      return stored && { ...stored, ...settingsOf(auth), file_fingerprint: fingerprint };
    }
    // A salt derived from the file and the shared secret: instances starting together on one store compute the
    // same hash, so whichever write lands last, their tokens agree.
    const salt = this.#macBytes(`file-salt\0${fingerprint}`).subarray(0, 16);
    return { ...(await accountFrom(auth, auth.admin_password, salt)), file_fingerprint: fingerprint };
  }

  /** Whether the management API needs the admin's credentials. */
  get enabled(): boolean {
    return this.#account?.is_enabled === true;
  }

  /** `auth_config` for `GET /api/config`, password redacted; undefined until an admin account exists. */
  publicConfig(): Required<AdminAuthConfig> | undefined {
    const account = this.#account;
    if (account === undefined) return undefined;
    return {
      is_enabled: account.is_enabled,
      admin_username: account.admin_username,
      admin_password: redactedPassword,
      disable_auth_on_inference: account.disable_auth_on_inference,
    };
  }

  /** Whether the request proves it comes from the admin, by Basic credentials or a session token. */
  async authenticate(credentials: RequestCredentials): Promise<boolean> {
    if (
      credentials.basic &&
      (await this.checkPassword(credentials.basic.username, credentials.basic.password))
    )
      return true;
    return credentials.sessionToken !== undefined && this.hasSession(credentials.sessionToken);
  }

  /** Whether these are the admin's username and password; compared in constant time. */
  async checkPassword(username: string, password: string): Promise<boolean> {
    const account = this.#account;
    if (account === undefined) return false;
    const cacheKey = this.#mac(`${username}\0${password}\0${account.password_hash}`);
    const cachedUntil = this.#basicPassed.get(cacheKey);
    if (cachedUntil !== undefined && cachedUntil > this.#now()) return true;
    // Both checks always run, so the time taken does not tell a wrong username from a wrong password.
    const [passwordMatches, usernameMatches] = await Promise.all([
      verifyAdminPassword(password, account.password_hash),
      Promise.resolve(timingSafeEqual(this.#macBytes(username), this.#macBytes(account.admin_username))),
    ]);
    if (!passwordMatches || !usernameMatches) return false;
    if (this.#basicPassed.size >= basicCacheSize) this.#basicPassed.clear();
    this.#basicPassed.set(cacheKey, this.#now() + basicCacheMs);
    return true;
  }

  /** A new session token for the admin; undefined without an account. */
  issueSession(): string | undefined {
    const account = this.#account;
    return account && this.#tokens.issue(subjectOf(account));
  }

  /** Whether `token` is a live session of the current admin account. */
  hasSession(token: string): boolean {
    const account = this.#account;
    return account !== undefined && this.#tokens.verify(token, subjectOf(account));
  }

  /** Ends the session `token` on this instance. */
  endSession(token: string): void {
    const account = this.#account;
    if (account) this.#tokens.revoke(token, subjectOf(account));
  }

  /**
   * Checks a `PUT /api/config` `auth_config` and returns the account it makes, without applying it; throws a 400
   * naming the field. A missing or redacted password keeps the stored one; undefined when there is nothing to store
   * (auth left off before any admin exists).
   */
  async prepareUpdate(next: AdminAuthConfig): Promise<AdminAccount | undefined> {
    const current = this.#account;
    const username = next.admin_username ?? current?.admin_username;
    const keepsPassword = next.admin_password === undefined || next.admin_password === redactedPassword;
    if (next.is_enabled && (username === undefined || username === '')) {
      throw invalidRequest(
        'admin_username is required to enable authentication',
        'auth_config.admin_username',
      );
    }
    if (keepsPassword) {
      if (current === undefined) {
        if (!next.is_enabled) return undefined;
        throw invalidRequest(
          'admin_password is required to enable authentication',
          'auth_config.admin_password',
        );
      }
      return { ...current, ...settingsOf(next), admin_username: username ?? current.admin_username };
    }
    const problem = checkAdminPassword(next.admin_password ?? '');
    if (problem !== undefined) throw invalidRequest(problem, 'auth_config.admin_password');
    const account = await accountFrom({ ...next, admin_username: username ?? '' }, next.admin_password ?? '');
    return current?.file_fingerprint ? { ...account, file_fingerprint: current.file_fingerprint } : account;
  }

  /** Makes `account` (from {@link prepareUpdate}) the admin account and persists it. */
  async commit(account: AdminAccount): Promise<void> {
    await this.#settings.set(settingKeys.adminAccount, account);
    this.#account = account;
    this.#accountReadAt = this.#now();
    this.#basicPassed.clear();
  }

  #mac(text: string): string {
    return this.#macBytes(text).toString('base64url');
  }

  #macBytes(text: string): Buffer {
    return createHmac('sha256', this.#secret).update(text).digest();
  }

  /** A slow hash of the file's `auth_config`, salted with the store's secret: it stands beside the password hash. */
  async #fingerprint(auth: AdminAuthConfig): Promise<string> {
    const text = JSON.stringify([
      auth.is_enabled,
      auth.admin_username,
      auth.admin_password,
      auth.disable_auth_on_inference,
    ]);
    return (await deriveSlowKey(text, this.#secret)).toString('base64url');
  }
}

function settingsOf(config: AdminAuthConfig): Pick<AdminAccount, 'is_enabled' | 'disable_auth_on_inference'> {
  return {
    is_enabled: config.is_enabled,
    disable_auth_on_inference: config.disable_auth_on_inference ?? false,
  };
}

async function accountFrom(config: AdminAuthConfig, password: string, salt?: Buffer): Promise<AdminAccount> {
  return {
    ...settingsOf(config),
    admin_username: config.admin_username ?? '',
    password_hash: await hashAdminPassword(password, salt),
  };
}

function subjectOf(account: AdminAccount) {
  return { username: account.admin_username, passwordHash: account.password_hash };
}
