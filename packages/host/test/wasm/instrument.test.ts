/**
 * Golden tests of the binary rewriter, as ewasm/wasm-metering's `test/in` -> `test/expected-out`: each
 * `golden/in/NAME.wat` is compiled, instrumented with every opcode costing 1 (so a flushed constant counts the
 * instructions since the last flush), printed with wabt's wasm2wat and compared with `golden/expected-out/NAME.wat`.
 * After a deliberate change of the rewriter, regenerate the expected files and review their diff:
 *   UPDATE_GOLDEN=1 npx jest packages/host/test/wasm/instrument.test.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { wasmToWat, wat } from '@vm/testkit';
import {
  INJECTED,
  INJECTED_BREAKPOINT,
  InvalidModule,
  MEMORY_IMPORT,
  OPCODE_COST_KEYS,
  instrumentModule,
} from '@vm/host';

const GOLDEN = path.join(__dirname, 'golden');
const IN = path.join(GOLDEN, 'in');
const EXPECTED = path.join(GOLDEN, 'expected-out');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const UNIT_COSTS: readonly number[] = OPCODE_COST_KEYS.map(() => 1);
const CASES = fs
  .readdirSync(IN)
  .filter((name) => name.endsWith('.wat'))
  .sort();

const header = (name: string) =>
  `;; instrumentModule(in/${name}) with every opcode costing 1, printed by wasm2wat.\n` +
  ';; Regenerate deliberately: UPDATE_GOLDEN=1 npx jest packages/host/test/wasm/instrument.test.ts\n';

async function instrumented(name: string): Promise<{ text: string; bytes: Uint8Array }> {
  const code = await wat(fs.readFileSync(path.join(IN, name), 'utf8'));
  const { bytes } = instrumentModule(code, UNIT_COSTS);
  return { text: header(name) + (await wasmToWat(bytes)), bytes };
}

/** Written as a whole or not at all: a temporary file renamed over the old one. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

describe('instrumentModule golden files (in/*.wat -> expected-out/*.wat)', () => {
  it.each(CASES)('%s', async (name) => {
    const { text, bytes } = await instrumented(name);
    const file = path.join(EXPECTED, name);
    if (UPDATE) writeAtomically(file, text);
    expect(text).toBe(fs.readFileSync(file, 'utf8'));
    // The rewritten module is valid for V8 (its validation of types and indices is what we rely on).
    expect(() => new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).not.toThrow();
  });

  it('has an expected output for every input and no other', () => {
    if (UPDATE)
      for (const stale of fs.readdirSync(EXPECTED).filter((name) => !CASES.includes(name)))
        fs.unlinkSync(path.join(EXPECTED, stale));
    expect(fs.readdirSync(EXPECTED).sort()).toEqual(CASES);
    expect(CASES.length).toBeGreaterThanOrEqual(8);
  });
});

describe('what the golden files show', () => {
  const expected = (name: string) => fs.readFileSync(path.join(EXPECTED, name), 'utf8');

  it('branches and calls are preceded by the gas check with the out-of-gas breakpoint', () => {
    const text = expected('branches.wat');
    const gasCheck = new RegExp(
      `i64\\.ge_u\\s+if\\b[^\\n]*\\s+i32\\.const ${INJECTED_BREAKPOINT.outOfGas}\\s+global\\.set \\d+\\s+unreachable\\s+end\\s+` +
        '(br_if|br_table|call|call_indirect|br) ',
      'g',
    );
    expect([...text.matchAll(gasCheck)].map((m) => m[1])).toEqual(['br_if', 'br_table', 'call', 'call_indirect', 'br']);
  });

  it('block boundaries flush without a check', () => {
    const text = expected('blocks.wat');
    expect(text).not.toContain('i64.ge_u');
    // block, end, loop, end, if, else, end and the function's end: each preceded by a flush of what came before.
    expect(text.match(/i64\.const \d+\s+i64\.add\s+global\.set 0\s+(block|loop|if|else|end)\b/g)?.length).toBe(8);
  });

  it('the memory is imported with its maximum capped', () => {
    const name = JSON.stringify(MEMORY_IMPORT.name);
    expect(expected('memory.wat')).toContain(`(import "\\00vm" ${name} (memory (;0;) 2 1024))`);
    expect(expected('memoryNoMaximum.wat')).toContain(`(import "\\00vm" ${name} (memory (;0;) 1 1024))`);
  });

  it('exports the injected globals under their reserved names', () => {
    const text = expected('empty.wat');
    for (const exported of Object.values(INJECTED)) expect(text).toContain(`"\\00${exported.slice(1)}"`);
  });
});

describe('instrumentModule rejects bodies it cannot walk exactly (before V8 sees them)', () => {
  const section = (id: number, content: number[]) => [id, content.length, ...content];
  /** A module of one `() -> ()` function whose body (locals and instructions) is `body`, as raw bytes. */
  const withBody = (body: number[]) =>
    Uint8Array.from([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...section(1, [1, 0x60, 0, 0]),
      ...section(3, [1, 0]),
      ...section(10, [1, body.length, ...body]),
    ]);
  const overlong = [0x80, 0x80, 0x80, 0x80, 0x80, 0x00];

  it('accepts the smallest body (the helper is right)', () => {
    const { bytes } = instrumentModule(withBody([0, 0x01, 0x0b]), UNIT_COSTS);
    expect(() => new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).not.toThrow();
  });

  it.each([
    ['a body without its end', [0, 0x01], /without an end/],
    ['code after the end', [0, 0x0b, 0x01], /after the end/],
    ['an immediate past the end', [0, 0x41], /unexpected end/],
    ['an index LEB128 longer than 5 bytes', [0, 0x20, ...overlong, 0x1a, 0x0b], /too long/],
    ['an i32 constant longer than 5 bytes', [0, 0x41, ...overlong, 0x1a, 0x0b], /too long/],
    ['a type-index block type (multi-value)', [0, 0x02, 0x00, 0x0b, 0x0b], /multi-value/],
    ['a v128 block type', [0, 0x02, 0x7b, 0x0b, 0x0b], /SIMD/],
    ['bulk memory behind 0xfc', [0, 0xfc, 0x0b, 0x00, 0x0b], /bulk memory/],
    ['call_indirect on table 1', [0, 0x41, 0x00, 0x11, 0x00, 0x01, 0x0b], /table other than 0/],
    ['memory.size of memory 1', [0, 0x3f, 0x01, 0x1a, 0x0b], /multi-memory/],
    ['a float constant', [0, 0x43, 0, 0, 0, 0, 0x1a, 0x0b], /float instruction F32Const/],
    ['a float operator', [0, 0x92, 0x0b], /float instruction F32Add/],
    ['exception handling', [0, 0x06, 0x40, 0x0b, 0x0b], /exception handling/],
    ['an unknown opcode', [0, 0xff, 0x0b], /unknown opcode 0xff/],
    ['a v128 local', [1, 1, 0x7b, 0x0b], /local of unsupported type 0x7b/],
  ])('%s', (_name, body, message) => {
    expect(() => instrumentModule(withBody(body), UNIT_COSTS)).toThrow(InvalidModule);
    expect(() => instrumentModule(withBody(body), UNIT_COSTS)).toThrow(message);
  });
});
