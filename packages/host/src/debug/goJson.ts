/**
 * JSON as Go's encoding/json writes the reference's types: bytes as standard base64, big integers as bare JSON
 * numbers (JSON.stringify cannot), tab indentation for files.
 */
export function goJson(value: unknown, indent = '', depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (typeof value !== 'object') return JSON.stringify(value);
  const inner = indent ? `\n${indent.repeat(depth + 1)}` : '';
  const outer = indent ? `\n${indent.repeat(depth)}` : '';
  const colon = indent ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => inner + goJson(v, indent, depth + 1)).join(',')}${outer}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, v]) => inner + JSON.stringify(k) + colon + goJson(v, indent, depth + 1)).join(',')}${outer}}`;
}
