import type { PackageDefinition } from '@grpc/proto-loader';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { describe, expect, it } from 'vitest';
import { linkFileDescriptors } from './link-file-descriptors.js';
import { loadBifrostProto } from './load-bifrost-proto.js';

interface FileSummary {
  name: string;
  package: string;
  dependency: string[];
}

function filesOf(definition: PackageDefinition, name: string): FileSummary[] {
  const entry = definition[name] as { fileDescriptorProtos: Buffer[] };
  return entry.fileDescriptorProtos.map(
    (bytes) => descriptor.FileDescriptorProto.decode(bytes) as unknown as FileSummary,
  );
}

describe('linkFileDescriptors', () => {
  it('declares the file of google.protobuf.Struct as an import of bifrost.v1', () => {
    const files = filesOf(loadBifrostProto(), 'bifrost.v1.ChatRequest');
    const bifrost = files.find((file) => file.package === 'bifrost.v1')!;
    const struct = files.find((file) => file.package === 'google.protobuf')!;
    expect(bifrost.dependency).toEqual([struct.name]);
    expect(struct.dependency).toEqual([]);
  });

  it('leaves a file with no imports without dependencies', () => {
    const files = filesOf(loadBifrostProto(), 'grpc.health.v1.HealthCheckRequest');
    expect(files.find((file) => file.package === 'grpc.health.v1')!.dependency).toEqual([]);
  });

  it('keeps definitions without descriptors as they are', () => {
    const definition = loadBifrostProto();
    const linked = linkFileDescriptors(definition);
    expect(linked['bifrost.v1.Bifrost']).toBe(definition['bifrost.v1.Bifrost']);
  });
});
