import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from './is-loopback-address.js';
import { createRemoteCallerGuard } from './remote-caller-guard.js';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])('counts %s as this machine', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each(['192.0.2.7', '::ffff:192.0.2.7', 'fd00::2', '0.0.0.0', 'localhost', undefined])(
    'counts %s as another machine',
    (address) => {
      expect(isLoopbackAddress(address)).toBe(false);
    },
  );
});

describe('createRemoteCallerGuard', () => {
  it('lets a loopback caller through', () => {
    expect(createRemoteCallerGuard()({ remoteAddress: '::ffff:127.0.0.1' })).toBeUndefined();
  });

  it('refuses a remote caller with a 403 in the gateway error envelope naming the opt-out', async () => {
    const refusal = createRemoteCallerGuard()({ remoteAddress: '192.0.2.7' });

    const response = refusal!.toResponse();
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      is_bifrost_error: true,
      status_code: 403,
      error: {
        type: 'permission_denied',
        message: expect.stringContaining('mcp.allow_remote_tool_execution'),
      },
      extra_fields: { error_code: 'permission_denied' },
    });
  });

  it('refuses a caller whose address is unknown', () => {
    expect(createRemoteCallerGuard()(undefined)?.code).toBe('permission_denied');
    expect(createRemoteCallerGuard()({ remoteAddress: undefined })?.code).toBe('permission_denied');
  });

  it('lets anyone through with allowRemote', () => {
    expect(createRemoteCallerGuard({ allowRemote: true })({ remoteAddress: '192.0.2.7' })).toBeUndefined();
  });

  it('asks the injected check which addresses are local', () => {
    const guard = createRemoteCallerGuard({ isLocal: (address) => address === '10.0.0.1' });

    expect(guard({ remoteAddress: '10.0.0.1' })).toBeUndefined();
    expect(guard({ remoteAddress: '127.0.0.1' })?.statusCode).toBe(403);
  });
});
