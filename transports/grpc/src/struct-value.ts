/**
 * Conversions between JSON values and `google.protobuf.Struct` / `Value` as @grpc/proto-loader represents them.
 * The well-known types come from protobufjs's bundled definitions, whose field names are camelCase whatever
 * `keepCase` says (`stringValue`, not `string_value`); `nullValue` is the enum's name.
 */

/** A `google.protobuf.Value` as a plain object: exactly one member is set. */
export interface ProtoValue {
  nullValue?: 'NULL_VALUE' | number;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: ProtoStruct;
  listValue?: { values?: ProtoValue[] };
}

/** A `google.protobuf.Struct` as a plain object. */
export interface ProtoStruct {
  fields?: Record<string, ProtoValue>;
}

/** Reads a `Value` back into JSON; an unset value reads as `null`. */
export function valueToJson(value: ProtoValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.numberValue !== undefined) return value.numberValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.structValue !== undefined) return structToJson(value.structValue);
  if (value.listValue !== undefined) return (value.listValue.values ?? []).map(valueToJson);
  return null;
}

/** Reads a `Struct` back into a JSON object. */
export function structToJson(struct: ProtoStruct): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const fields = struct.fields ?? {};
  for (const name in fields) object[name] = valueToJson(fields[name]!);
  return object;
}

/** Writes any JSON value as a `Value`; `undefined` and functions become `null`, as JSON.stringify would. */
export function jsonToValue(json: unknown): ProtoValue {
  switch (typeof json) {
    case 'string':
      return { stringValue: json };
    case 'number':
      return { numberValue: json };
    case 'boolean':
      return { boolValue: json };
    case 'object':
      if (json === null) return { nullValue: 'NULL_VALUE' };
      if (Array.isArray(json)) return { listValue: { values: json.map(jsonToValue) } };
      return { structValue: jsonToStruct(json as Record<string, unknown>) };
    default:
      return { nullValue: 'NULL_VALUE' };
  }
}

/** Writes a JSON object as a `Struct`. */
export function jsonToStruct(object: Record<string, unknown>): ProtoStruct {
  const fields: Record<string, ProtoValue> = {};
  for (const name in object) {
    if (object[name] !== undefined) fields[name] = jsonToValue(object[name]);
  }
  return { fields };
}
