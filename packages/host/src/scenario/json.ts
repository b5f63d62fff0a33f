/**
 * The scenario files' JSON dialect (scenario-format.md §2): strings, booleans, objects and arrays only, object keys
 * in the order written (duplicates: the first wins), syntax errors with their line and column. And the
 * reference writer's layout: 4-space indentation, one entry per line, `{}` / `[]` when empty, a final newline.
 */
import { ScenarioError } from './valueExpression';

export type JsonNode =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] }
  | { readonly kind: 'object'; readonly entries: readonly JsonEntry[] };

export interface JsonEntry {
  readonly key: string;
  readonly value: JsonNode;
}

export const jsonString = (value: string): JsonNode => ({ kind: 'string', value });
export const jsonBool = (value: boolean): JsonNode => ({ kind: 'bool', value });
export const jsonArray = (items: readonly JsonNode[]): JsonNode => ({ kind: 'array', items });
export const jsonObject = (entries: readonly JsonEntry[]): JsonNode => ({ kind: 'object', entries });

/** Parses scenario JSON text. Errors name the file, the line and the column (1-based). */
export function parseJson(text: string, file = '<text>'): JsonNode {
  return new JsonParser(text, file).document();
}

class JsonParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  document(): JsonNode {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    const node = this.value();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
    return node;
  }

  private position(offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++)
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    return { line, column: offset - lineStart + 1 };
  }

  private fail(message: string, offset = this.pos): never {
    const { line, column } = this.position(offset);
    throw new ScenarioError(`${this.file}: invalid JSON at line ${line}, column ${column}: ${message}`, {
      file: this.file,
      line,
      column,
    });
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else return;
    }
  }

  private value(): JsonNode {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { kind: 'string', value: this.string() };
    if (this.text.startsWith('true', this.pos)) {
      this.pos += 4;
      return { kind: 'bool', value: true };
    }
    if (this.text.startsWith('false', this.pos)) {
      this.pos += 5;
      return { kind: 'bool', value: false };
    }
    if (c === undefined) this.fail('unexpected end of the text');
    if (/[-0-9]/.test(c) || this.text.startsWith('null', this.pos))
      this.fail('numbers and null are not allowed: write every value as a string');
    return this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  private object(): JsonNode {
    this.pos++;
    const entries: JsonEntry[] = [];
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a quoted key');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      const value = this.value();
      // Duplicate keys: the first occurrence wins, as in the reference's ordered JSON parser.
      if (!seen.has(key)) {
        seen.add(key);
        entries.push({ key, value });
      }
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return { kind: 'object', entries };
      if (next !== ',') this.fail('expected "," or "}"', this.pos - 1);
    }
  }

  private array(): JsonNode {
    this.pos++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') return { kind: 'array', items };
      if (next !== ',') this.fail('expected "," or "]"', this.pos - 1);
    }
  }

  /** A quoted string; standard JSON escapes are decoded (no fixture contains a backslash). */
  private string(): string {
    const start = this.pos;
    const end = this.text.indexOf('"', start + 1);
    const raw = end < 0 ? -1 : this.text.slice(start + 1, end);
    // eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
    if (raw !== -1 && !raw.includes('\\') && !/[\x00-\x1f]/.test(raw)) {
      this.pos = end + 1;
      return raw;
    }
    // Slow path: escapes or control characters.
    let i = start + 1;
    for (;;) {
      const c = this.text[i];
      if (c === undefined) this.fail('unterminated string', start);
      if (c === '"') break;
      if (c === '\\') i++;
      else if (c.charCodeAt(0) < 0x20) this.fail('control character in a string', i);
      i++;
    }
    try {
      const value = JSON.parse(this.text.slice(start, i + 1)) as string;
      this.pos = i + 1;
      return value;
    } catch {
      return this.fail('invalid escape in a string', start);
    }
  }
}

/** A plain JS value (from `JSON.parse` or written in code) as a JsonNode: numbers and null are refused. */
export function fromJs(value: unknown, where = '$'): JsonNode {
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'boolean') return jsonBool(value);
  if (Array.isArray(value)) return jsonArray(value.map((item, i) => fromJs(item, `${where}[${i}]`)));
  if (typeof value === 'object' && value !== null)
    return jsonObject(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => ({
        key,
        value: fromJs(v, `${where}.${key}`),
      })),
    );
  throw new ScenarioError(
    `${where}: numbers and null are not allowed (found ${JSON.stringify(value)}): write every value as a string`,
    { jsonPath: where },
  );
}

/** The reference writer's layout (its ordered-JSON `JSONString`), with a final newline. */
export function writeJson(node: JsonNode): string {
  const parts: string[] = [];
  write(node, 0, parts);
  parts.push('\n');
  return parts.join('');
}

const INDENT = '    ';

function write(node: JsonNode, depth: number, out: string[]): void {
  switch (node.kind) {
    case 'string':
      out.push(quote(node.value));
      return;
    case 'bool':
      out.push(node.value ? 'true' : 'false');
      return;
    case 'array': {
      if (node.items.length === 0) {
        out.push('[]');
        return;
      }
      out.push('[');
      node.items.forEach((item, i) => {
        out.push('\n', INDENT.repeat(depth + 1));
        write(item, depth + 1, out);
        if (i < node.items.length - 1) out.push(',');
      });
      out.push('\n', INDENT.repeat(depth), ']');
      return;
    }
    case 'object': {
      if (node.entries.length === 0) {
        out.push('{}');
        return;
      }
      out.push('{');
      node.entries.forEach(({ key, value }, i) => {
        out.push('\n', INDENT.repeat(depth + 1), quote(key), ': ');
        write(value, depth + 1, out);
        if (i < node.entries.length - 1) out.push(',');
      });
      out.push('\n', INDENT.repeat(depth), '}');
      return;
    }
  }
}

/** Verbatim between quotes (as the reference writes), escaping only what JSON requires. */
function quote(text: string): string {
  // eslint-disable-next-line no-control-regex -- the characters JSON requires escaped
  return /["\\\x00-\x1f]/.test(text) ? JSON.stringify(text) : `"${text}"`;
}
