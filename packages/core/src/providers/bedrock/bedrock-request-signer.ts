import { Sha256 } from '@aws-crypto/sha256-js';
import type { MetaConfig } from '@bifrost/schemas';
import { SignatureV4 } from '@smithy/signature-v4';

/** The parts of an upstream request that its signature covers. */
export interface SignableRequest {
  method: 'GET' | 'POST';
  /** `https://bedrock-runtime.us-east-1.amazonaws.com` */
  origin: string;
  /** The exact path sent, model id already percent-encoded. */
  path: string;
  /** Flat `[name, value, …]` list, without authorization. */
  headers: string[];
  /** The exact bytes sent. */
  body?: string;
}

/** Options of {@link BedrockRequestSigner}. */
export interface BedrockRequestSignerOptions {
  /** The SigV4 signing name: `bedrock` for both the runtime and the control plane. @default 'bedrock' */
  service?: string;
  /** @default () => new Date() */
  now?: () => Date;
}

/**
 * Authenticates Bedrock requests. With `meta_config.secret_access_key` set, the key's value is the AWS access
 * key id and each request is signed with SigV4 (plus `x-amz-security-token` for a session token); without it,
 * the key's value is a Bedrock API key sent as `Authorization: Bearer …`.
 */
export class BedrockRequestSigner {
  readonly region: string;
  private readonly secretAccessKey: string | undefined;
  private readonly sessionToken: string | undefined;
  private readonly service: string;
  private readonly now: () => Date;
  /** One signer per access key id, so each keeps its cached signing key across requests. */
  private readonly signers = new Map<string, SignatureV4>();

  constructor(meta: MetaConfig | undefined, options: BedrockRequestSignerOptions = {}) {
    this.region = meta?.region ?? 'us-east-1';
    this.secretAccessKey = meta?.secret_access_key || undefined;
    this.sessionToken = meta?.session_token || undefined;
    this.service = options.service ?? 'bedrock';
    this.now = options.now ?? (() => new Date());
  }

  /** The request's headers with authentication added: a flat list ready for undici. */
  async authenticate(request: SignableRequest, keyValue: string): Promise<string[]> {
    if (this.secretAccessKey === undefined) {
      return [...request.headers, 'authorization', `Bearer ${keyValue}`];
    }
    const url = new URL(request.origin);
    const headers: Record<string, string> = { host: url.host };
    for (let index = 0; index < request.headers.length; index += 2) {
      headers[request.headers[index]!.toLowerCase()] = request.headers[index + 1]!;
    }
    const queryStart = request.path.indexOf('?');
    const signed = await this.signerFor(keyValue).sign(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: queryStart === -1 ? request.path : request.path.slice(0, queryStart),
        query:
          queryStart === -1
            ? {}
            : Object.fromEntries(new URLSearchParams(request.path.slice(queryStart + 1))),
        headers,
        body: request.body,
      },
      { signingDate: this.now() },
    );
    const flat: string[] = [];
    for (const [name, value] of Object.entries(signed.headers)) {
      // undici writes the Host header itself from the origin, with the same value that was signed.
      if (name !== 'host') flat.push(name, value);
    }
    return flat;
  }

  private signerFor(accessKeyId: string): SignatureV4 {
    let signer = this.signers.get(accessKeyId);
    if (signer === undefined) {
      signer = new SignatureV4({
        service: this.service,
        region: this.region,
        sha256: Sha256,
        credentials: {
          accessKeyId,
          secretAccessKey: this.secretAccessKey!,
          ...(this.sessionToken === undefined ? {} : { sessionToken: this.sessionToken }),
        },
      });
      this.signers.set(accessKeyId, signer);
    }
    return signer;
  }
}
