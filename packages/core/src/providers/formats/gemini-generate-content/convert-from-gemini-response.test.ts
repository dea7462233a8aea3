import { describe, expect, it } from 'vitest';
import { readGeminiFixture } from '../../gemini/__fixtures__/read-gemini-fixture.js';
import { geminiErrorFromResponse } from '../../gemini/gemini-error.js';
import { fromGeminiResponse } from './convert-from-gemini-response.js';
import { type GeminiGenerateContentResponse, readGenerateContentResponse } from './gemini-api.js';

const created = 1_750_000_000;

function translate(name: string | GeminiGenerateContentResponse, model = 'gemini-2.5-flash') {
  const body = typeof name === 'string' ? readGeminiFixture(name) : name;
  return fromGeminiResponse(readGenerateContentResponse(body, 'gemini', model), 'gemini', model, created);
}

describe('fromGeminiResponse', () => {
  it('turns a text candidate into a chat completion with usage', () => {
    expect(translate('generate-content')).toEqual({
      id: 'mAitaLmkHPPlz7IPvtfUqQ4',
      object: 'chat.completion',
      created,
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'AI learns patterns from data and uses them to make predictions on new inputs.',
          },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 8, completion_tokens: 15, total_tokens: 23 },
    });
  });

  it('turns a function call into a tool call that keeps its thought signature, finishing with tool_calls', () => {
    const answer = translate('generate-content-function-call');
    expect(answer.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_0',
              type: 'function',
              function: { name: 'get_current_temperature', arguments: '{"location":"London"}' },
              extra_content: { google: { thought_signature: 'CiQB0e2Kb7x1U2lnbmF0dXJlRm9yVGhlQ2FsbA==' } },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ]);
    expect(answer.usage).toEqual({
      prompt_tokens: 71,
      completion_tokens: 68,
      total_tokens: 139,
      completion_tokens_details: { reasoning_tokens: 50 },
    });
  });

  it('keeps an id Gemini gave the call', () => {
    const body = readGeminiFixture<GeminiGenerateContentResponse>('generate-content-function-call');
    body.candidates![0]!.content!.parts![0]!.functionCall!.id = 'gemini-id-1';
    expect(translate(body).choices[0]!.message.tool_calls![0]!.id).toBe('gemini-id-1');
  });

  it('reports thoughts as reasoning with the answer signature in reasoning_details', () => {
    const answer = translate('generate-content-thinking', 'gemini-2.5-pro');
    expect(answer.choices[0]!.message).toEqual({
      role: 'assistant',
      content: 'There are 4 prime numbers below 10: 2, 3, 5 and 7.',
      reasoning: '**Counting the primes**\n\nI list the primes below 10: 2, 3, 5 and 7.',
      reasoning_details: [
        {
          type: 'reasoning.text',
          text: '**Counting the primes**\n\nI list the primes below 10: 2, 3, 5 and 7.',
          index: 0,
        },
        { type: 'reasoning.text', text: '', signature: 'EpYCCpMCAdHtim9TaGlua2luZ1NpZ25hdHVyZQ==', index: 1 },
      ],
    });
    expect(answer.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 136,
      total_tokens: 148,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 117 },
    });
  });

  it('answers a blocked prompt with a content_filter choice and a warning', () => {
    const answer = translate('generate-content-blocked');
    expect(answer.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: null, refusal: 'The prompt was blocked (SAFETY)' },
        finish_reason: 'content_filter',
      },
    ]);
    expect(answer.extra_fields).toEqual({ warnings: ['gemini blocked the prompt: SAFETY'] });
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
  ])('maps finishReason %s to %s', (reason, expected) => {
    const body = readGeminiFixture<GeminiGenerateContentResponse>('generate-content');
    body.candidates![0]!.finishReason = reason;
    expect(translate(body).choices[0]!.finish_reason).toBe(expected);
  });

  it('reports an unknown finish reason as stop with a warning, and parts it cannot carry', () => {
    const body = readGeminiFixture<GeminiGenerateContentResponse>('generate-content');
    body.candidates![0]!.finishReason = 'MALFORMED_FUNCTION_CALL';
    body.candidates![0]!.content!.parts!.push({ executableCode: { language: 'PYTHON', code: 'print(1)' } });
    const answer = translate(body);
    expect(answer.choices[0]!.finish_reason).toBe('stop');
    expect(answer.extra_fields?.warnings).toEqual([
      'gemini returned executableCode parts, which a chat completion cannot carry',
      'gemini finished with MALFORMED_FUNCTION_CALL, reported as stop',
    ]);
  });

  it('makes one choice per candidate', () => {
    const body = readGeminiFixture<GeminiGenerateContentResponse>('generate-content');
    body.candidates!.push({
      index: 1,
      content: { role: 'model', parts: [{ text: 'Second.' }] },
      finishReason: 'STOP',
    });
    expect(translate(body).choices.map((choice) => [choice.index, choice.message.content])).toEqual([
      [0, 'AI learns patterns from data and uses them to make predictions on new inputs.'],
      [1, 'Second.'],
    ]);
  });

  it('refuses a body that is not a GenerateContentResponse', () => {
    expect(() => readGenerateContentResponse({ candidates: 'no' }, 'gemini', 'm')).toThrow(
      'gemini returned a malformed response: "candidates" is not an array',
    );
  });
});

describe('geminiErrorFromResponse', () => {
  const context = { provider: 'gemini' as const, model: 'gemini-2.5-flash' };

  it('keeps the status, the status name as type, the ErrorInfo reason as code', () => {
    const error = geminiErrorFromResponse(
      400,
      {},
      JSON.stringify(readGeminiFixture('error-400-api-key-invalid')),
      context,
      'AIza-secret-key',
    );
    expect(error).toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      message: 'API key not valid. Please pass a valid API key.',
      upstreamType: 'INVALID_ARGUMENT',
      upstreamCode: 'API_KEY_INVALID',
      fromProvider: true,
    });
  });

  it('keeps Retry-After on a 429 and marks a 503 retryable', () => {
    const limited = geminiErrorFromResponse(
      429,
      { 'retry-after': '3' },
      JSON.stringify(readGeminiFixture('error-429-resource-exhausted')),
      context,
    );
    expect(limited).toMatchObject({
      code: 'rate_limited',
      upstreamType: 'RESOURCE_EXHAUSTED',
      retryAfterMs: 3000,
    });
    const overloaded = geminiErrorFromResponse(
      503,
      {},
      JSON.stringify(readGeminiFixture('error-503-unavailable')),
      context,
    );
    expect(overloaded).toMatchObject({ statusCode: 503, upstreamType: 'UNAVAILABLE', retryable: true });
  });

  it('reads the array-wrapped envelope and redacts a key echoed in the message', () => {
    const body = [
      { error: { code: 403, message: 'key AIza-secret-key is blocked', status: 'PERMISSION_DENIED' } },
    ];
    const error = geminiErrorFromResponse(403, {}, JSON.stringify(body), context, 'AIza-secret-key');
    expect(error).toMatchObject({ code: 'permission_denied', message: 'key [redacted] is blocked' });
  });
});
