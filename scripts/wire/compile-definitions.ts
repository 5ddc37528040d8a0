/**
 * Kafka's JSON message definitions → the normalised schema table
 * (lib/wire/generated-schemas.ts). Pure: text in, text out, so a test can check
 * that the committed table is exactly what the vendored definitions produce.
 */
import {
  OPEN_VERSION,
  type FieldSchema,
  type FieldType,
  type MessageKind,
  type MessageSchema,
  type PrimitiveType,
  type VersionRange,
} from '../../lib/wire/schema-types.js';

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'uuid',
  'string',
  'bytes',
  'records',
]);

interface JsonField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  ignorable?: boolean;
  default?: string | number | boolean;
  fields?: JsonField[];
}

interface JsonStruct {
  name: string;
  versions?: string;
  fields: JsonField[];
}

interface JsonMessage {
  apiKey?: number;
  type: string;
  name: string;
  validVersions: string;
  flexibleVersions?: string;
  deprecatedVersions?: string;
  latestVersionUnstable?: boolean;
  fields: JsonField[];
  commonStructs?: JsonStruct[];
}

/** Removes `//` comments (outside strings) from Kafka's commented JSON. */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

export function parseVersions(spec: string | undefined, where: string): VersionRange | null {
  if (spec === undefined || spec === '' || spec === 'none') return null;
  const open = /^(\d+)\+$/.exec(spec);
  if (open) return { min: Number(open[1]), max: OPEN_VERSION };
  const range = /^(\d+)-(\d+)$/.exec(spec);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (/^\d+$/.test(spec)) return { min: Number(spec), max: Number(spec) };
  throw new Error(`${where}: bad version spec '${spec}'`);
}

function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function compileField(field: JsonField, structs: ReadonlyMap<string, JsonStruct>, where: string): FieldSchema {
  const path = `${where}.${field.name}`;
  const array = field.type.startsWith('[]');
  const typeName = array ? field.type.slice(2) : field.type;
  const isStruct = !PRIMITIVES.has(typeName);
  if (isStruct && !/^[A-Z]/.test(typeName)) throw new Error(`${path}: unknown type '${field.type}'`);
  const taggedVersions = parseVersions(field.taggedVersions, path);
  const versions = parseVersions(field.versions, path) ?? taggedVersions;
  if (versions === null) throw new Error(`${path}: no versions`);
  let fields: readonly FieldSchema[] | undefined;
  if (isStruct) {
    const source = field.fields ?? structs.get(typeName)?.fields;
    if (source === undefined) throw new Error(`${path}: struct '${typeName}' has no fields and no common struct`);
    fields = source.map((f) => compileField(f, structs, path));
  }
  const schema: FieldSchema = {
    name: camelCase(field.name),
    kafkaName: field.name,
    type: (isStruct ? 'struct' : typeName) as FieldType,
    array,
    ...(isStruct ? { structName: typeName, fields } : {}),
    versions,
    nullableVersions: parseVersions(field.nullableVersions, path),
    taggedVersions,
    tag: field.tag ?? null,
    ...(field.flexibleVersions !== undefined ? { flexibleVersions: parseVersions(field.flexibleVersions, path) } : {}),
    ignorable: field.ignorable === true,
    default: field.default === undefined ? '' : String(field.default),
  };
  if ((schema.taggedVersions === null) !== (schema.tag === null)) throw new Error(`${path}: tag and taggedVersions go together`);
  return schema;
}

export function compileDefinition(text: string, file: string): MessageSchema {
  const json = JSON.parse(stripJsonComments(text)) as JsonMessage;
  if (json.type !== 'request' && json.type !== 'response' && json.type !== 'header') {
    throw new Error(`${file}: type '${json.type}' is not a request, response or header`);
  }
  const validVersions = parseVersions(json.validVersions, file);
  if (validVersions === null) throw new Error(`${file}: no valid versions`);
  const structs = new Map((json.commonStructs ?? []).map((s) => [s.name, s]));
  return {
    name: json.name,
    kind: json.type as MessageKind,
    apiKey: json.apiKey ?? null,
    validVersions,
    flexibleVersions: parseVersions(json.flexibleVersions, file),
    deprecatedVersions: parseVersions(json.deprecatedVersions, file),
    latestVersionUnstable: json.latestVersionUnstable === true,
    fields: json.fields.map((f) => compileField(f, structs, json.name)),
  };
}

/** The TypeScript module holding the schema table, one entry per definition, sorted by name. */
export function renderSchemaModule(schemas: readonly MessageSchema[], kafkaCommit: string): string {
  const sorted = [...schemas].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [
    '// Generated by scripts/wire/generate-wire-schemas.ts from lib/wire/messages/*.json',
    `// (Apache Kafka ${kafkaCommit}, Apache-2.0). Do not edit by hand; re-run the script.`,
    "import type { MessageSchema } from './schema-types.js';",
    '',
    `export const KAFKA_MESSAGES_COMMIT = '${kafkaCommit}';`,
    '',
    `export const MESSAGE_SCHEMAS: readonly MessageSchema[] = ${JSON.stringify(sorted, null, 1)};`,
    '',
  ].join('\n');
}
