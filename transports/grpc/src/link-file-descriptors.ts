import type { PackageDefinition } from '@grpc/proto-loader';
import descriptor from 'protobufjs/ext/descriptor/index.js';

/** The parts of a decoded `google.protobuf.FileDescriptorProto` this module reads and writes. */
interface FileDescriptor {
  name: string;
  package?: string;
  dependency: string[];
  messageType: MessageDescriptor[];
  enumType: { name: string }[];
  service: { method: { inputType: string; outputType: string }[] }[];
}

interface MessageDescriptor {
  name: string;
  field: { typeName?: string }[];
  nestedType: MessageDescriptor[];
  enumType: { name: string }[];
}

/**
 * Fills in each file descriptor's `dependency` list, which @grpc/proto-loader leaves empty (grpc/grpc-node#2595).
 * Reflection clients such as grpcurl follow that list to fetch the files a service's types live in; without it,
 * `google.protobuf.Struct` in `bifrost.v1` cannot be resolved.
 */
export function linkFileDescriptors(definition: PackageDefinition): PackageDefinition {
  const files = new Map<string, FileDescriptor>();
  for (const entry of Object.values(definition)) {
    for (const bytes of descriptorsOf(entry) ?? []) {
      const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as FileDescriptor;
      if (!files.has(file.name)) files.set(file.name, file);
    }
  }

  const fileOfType = new Map<string, string>();
  const declare = (scope: string, messages: MessageDescriptor[], enums: { name: string }[], file: string) => {
    for (const type of enums) fileOfType.set(`${scope}.${type.name}`, file);
    for (const message of messages) {
      const name = `${scope}.${message.name}`;
      fileOfType.set(name, file);
      declare(name, message.nestedType, message.enumType, file);
    }
  };
  for (const file of files.values()) {
    declare(file.package ? `.${file.package}` : '', file.messageType, file.enumType, file.name);
  }

  // protobufjs writes type names relative to the referring scope ("Tool", "google.protobuf.Value"): resolve them
  // as protoc does, from the innermost scope outwards.
  const resolve = (typeName: string, scope: string): string | undefined => {
    if (typeName.startsWith('.')) return fileOfType.get(typeName);
    for (let outer = scope; ; outer = outer.slice(0, Math.max(0, outer.lastIndexOf('.')))) {
      const owner = fileOfType.get(`${outer}.${typeName}`);
      if (owner !== undefined || outer === '') return owner;
    }
  };
  const encoded = new Map<string, Buffer>();
  for (const file of files.values()) {
    const used = new Set<string>();
    const use = (typeName: string | undefined, scope: string) => {
      const owner = typeName ? resolve(typeName, scope) : undefined;
      if (owner !== undefined && owner !== file.name) used.add(owner);
    };
    const packageScope = file.package ? `.${file.package}` : '';
    const visit = (messages: MessageDescriptor[], scope: string) => {
      for (const message of messages) {
        const name = `${scope}.${message.name}`;
        for (const field of message.field) use(field.typeName, name);
        visit(message.nestedType, name);
      }
    };
    visit(file.messageType, packageScope);
    for (const service of file.service) {
      for (const method of service.method) {
        use(method.inputType, packageScope);
        use(method.outputType, packageScope);
      }
    }
    file.dependency = [...used].sort();
    encoded.set(file.name, Buffer.from(descriptor.FileDescriptorProto.encode(file).finish()));
  }

  const linked: PackageDefinition = {};
  for (const [name, entry] of Object.entries(definition)) {
    const protos = descriptorsOf(entry)?.map((bytes) => {
      const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as FileDescriptor;
      return encoded.get(file.name) ?? bytes;
    });
    linked[name] = protos ? ({ ...entry, fileDescriptorProtos: protos } as typeof entry) : entry;
  }
  return linked;
}

/** Message and enum definitions carry the file descriptors; service definitions are maps of methods. */
function descriptorsOf(entry: PackageDefinition[string]): Buffer[] | undefined {
  const protos = (entry as { fileDescriptorProtos?: unknown }).fileDescriptorProtos;
  return Array.isArray(protos) ? (protos as Buffer[]) : undefined;
}
