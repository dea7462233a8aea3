import { describe, expect, it } from 'vitest';
import { isClaudeModel, resolveBedrockModelId } from './bedrock-model-id.js';

const profileArn =
  'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0';

describe('resolveBedrockModelId', () => {
  it('uses the model name when nothing maps it', () => {
    expect(resolveBedrockModelId('amazon.nova-pro-v1:0', undefined)).toBe('amazon.nova-pro-v1:0');
  });

  it('prefers inference_profiles over deployments and uses the profile as given', () => {
    const meta = {
      inference_profiles: { 'claude-sonnet': profileArn },
      deployments: { 'claude-sonnet': 'anthropic.claude-3-5-sonnet-20240620-v1:0' },
      arn: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile',
    };
    expect(resolveBedrockModelId('claude-sonnet', meta)).toBe(profileArn);
  });

  it('maps through deployments and puts the id under the arn prefix', () => {
    const meta = {
      deployments: { 'claude-haiku': 'abc123' },
      arn: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/',
    };
    expect(resolveBedrockModelId('claude-haiku', meta)).toBe(
      'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123',
    );
  });

  it('leaves a deployment that is already an ARN alone', () => {
    expect(
      resolveBedrockModelId('x', { deployments: { x: profileArn }, arn: 'arn:aws:bedrock:prefix' }),
    ).toBe(profileArn);
  });
});

describe('isClaudeModel', () => {
  it('recognises Claude by name or by resolved id', () => {
    expect(
      isClaudeModel('anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0'),
    ).toBe(true);
    expect(isClaudeModel('my-model', profileArn)).toBe(true);
    expect(isClaudeModel('amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0')).toBe(false);
  });
});
