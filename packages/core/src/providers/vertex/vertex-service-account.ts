import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';

/** The fields of a Google service-account key file that the JWT-bearer grant needs. */
export interface ServiceAccount {
  client_email: string;
  private_key: string;
  /** Identifies the key in the JWT header, so Google finds the public half at once. */
  private_key_id?: string;
  /** Where the signed assertion is exchanged for an access token. */
  token_uri: string;
}

/** Google's OAuth token endpoint, used when the key file names none. */
export const googleTokenUrl = 'https://oauth2.googleapis.com/token';

/**
 * Reads a service-account key file (the JSON text of `auth_credentials`), checking the fields the grant needs.
 * Messages name the missing field, never the file's contents.
 */
export function parseServiceAccount(json: string, provider: ProviderName): ServiceAccount {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalid('meta_config.auth_credentials is not JSON (expected a service-account key file)', provider);
  }
  if (typeof value !== 'object' || value === null)
    throw invalid('meta_config.auth_credentials is not a JSON object', provider);
  const record = value as Record<string, unknown>;
  if (record.type !== undefined && record.type !== 'service_account') {
    throw invalid(
      `meta_config.auth_credentials has type "${String(record.type)}"; only service_account keys are supported`,
      provider,
    );
  }
  for (const field of ['client_email', 'private_key'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw invalid(`meta_config.auth_credentials has no ${field}`, provider);
    }
  }
  const account: ServiceAccount = {
    client_email: record.client_email as string,
    private_key: record.private_key as string,
    token_uri:
      typeof record.token_uri === 'string' && record.token_uri !== '' ? record.token_uri : googleTokenUrl,
  };
  if (typeof record.private_key_id === 'string') account.private_key_id = record.private_key_id;
  return account;
}

function invalid(message: string, provider: ProviderName): GatewayError {
  return new GatewayError('invalid_request', message, {
    provider,
    param: `providers.${provider}.meta_config.auth_credentials`,
  });
}
