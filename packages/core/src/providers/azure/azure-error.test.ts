import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { azureErrorFromResponse } from './azure-error.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8');
const context = { provider: 'azure' as const, model: 'gpt-4o' };

describe('azureErrorFromResponse', () => {
  it('keeps the content_filter code and names the inner policy violation as the type', () => {
    const error = azureErrorFromResponse(400, {}, fixture('error-400-content-filter'), context);
    expect(error).toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      upstreamCode: 'content_filter',
      upstreamType: 'ResponsibleAIPolicyViolation',
      param: 'prompt',
    });
  });

  it('reads the wait from retry-after-ms before retry-after', () => {
    const body = fixture('error-429-rate-limit');
    expect(
      azureErrorFromResponse(429, { 'retry-after-ms': '1500', 'retry-after': '2' }, body, context),
    ).toMatchObject({ code: 'rate_limited', retryAfterMs: 1500 });
    expect(azureErrorFromResponse(429, { 'retry-after': '6' }, body, context).retryAfterMs).toBe(6000);
  });

  it('keeps Azure’s string codes such as DeploymentNotFound', () => {
    const error = azureErrorFromResponse(404, {}, fixture('error-404-deployment-not-found'), context);
    expect(error).toMatchObject({ code: 'not_found', upstreamCode: 'DeploymentNotFound' });
    expect(error.message).toContain('deployment for this resource does not exist');
  });
});
