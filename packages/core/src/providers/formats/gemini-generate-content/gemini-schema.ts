import { isRecord } from '../../kit/is-record.js';

/** The JSON-schema keywords Gemini's `Schema` (an OpenAPI 3.0 subset) accepts in function declarations. */
const supportedKeywords: ReadonlySet<string> = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'items',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'minimum',
  'maximum',
]);

/**
 * Rewrites a tool's JSON schema into what Gemini accepts: `type: ["string","null"]` becomes `type` plus
 * `nullable`, `const` becomes a one-value `enum`, and keywords Gemini rejects (`additionalProperties`,
 * `$schema`, `$ref`…) are dropped, each name added to `dropped` so the caller can warn.
 */
export function toGeminiSchema(
  schema: Record<string, unknown>,
  dropped: Set<string>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'type' && Array.isArray(value)) {
      const types = value.filter((type) => type !== 'null');
      if (types.length !== value.length) result.nullable = true;
      if (types.length > 1) dropped.add('type (more than one non-null type)');
      if (types[0] !== undefined) result.type = types[0];
    } else if (keyword === 'const') {
      result.enum = [value];
    } else if (!supportedKeywords.has(keyword)) {
      dropped.add(keyword);
    } else if (keyword === 'properties' && isRecord(value)) {
      const properties: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(value)) {
        properties[name] = isRecord(property) ? toGeminiSchema(property, dropped) : property;
      }
      result.properties = properties;
    } else if (keyword === 'items' && isRecord(value)) {
      result.items = toGeminiSchema(value, dropped);
    } else if (keyword === 'anyOf' && Array.isArray(value)) {
      result.anyOf = value.map((option) => (isRecord(option) ? toGeminiSchema(option, dropped) : option));
    } else {
      result[keyword] = value;
    }
  }
  return result;
}
