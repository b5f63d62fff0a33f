/**
 * `vm-fuzz modules`: fuzzing of the VM's own module pipeline. Each module (from one seed) goes through validation
 * and instrumentation (`instrumentModule` + V8's compile, as the module cache does); properties:
 *  - nothing but a typed error (InvalidModule, WebAssembly.CompileError) ever comes out of the pipeline;
 *  - a module we accept, run instrumented with ample gas, gives exactly the original's results, traps and final
 *    memory under V8 — unless one of our deterministic limits (call depth, gas) ends it first, with its breakpoint;
 *  - two runs of the instrumented module give the same results and the same gas.
 * Modules come from a grammar of integer code (the instructions we accept: arithmetic that traps, memory that goes
 * out of bounds and grows, loops, recursion that may go deep), from random byte mutations of those (the rejection
 * paths), and optionally from binaryen's translate-to-fuzz (`wasm-opt -ttf`, a process per module: its JS API has
 * no fuzz entry point). wabt and binaryen are loaded only here.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidModule } from '../wasm/binary';
import { INJECTED, INJECTED_BREAKPOINT, MEMORY_IMPORT, instrumentModule } from '../wasm/instrument';
import { CALL_DEPTH_BUDGET } from '../wasm/limits';
import { referenceTestGasSchedule } from '../scenario/executor';
import { Rng } from './rng';

export type ModuleSource = 'grammar' | 'mutated' | 'binaryen';

export interface ModuleFuzzOptions {
  readonly seed: bigint;
  /** Modules from the grammar or mutated (each drawn 60/40). */
  readonly modules: number;
  /** More modules from binaryen's translate-to-fuzz (default 0: a process each). */
  readonly binaryen?: number;
  /** Where the first wrong module is written. */
  readonly outDir: string;
  readonly onModule?: (index: number) => void;
}

export interface ModuleFinding {
  readonly index: number;
  readonly source: ModuleSource;
  readonly problem: string;
  readonly file: string;
}

export interface ModuleFuzzReport {
  readonly seed: bigint;
  readonly generated: Record<ModuleSource, number>;
  /** Rejected with a typed error. */
  readonly rejected: number;
  readonly accepted: number;
  /** Accepted and run: results, traps and memory as V8's. */
  readonly same: number;
  /** Accepted and run, ended by one of our limits first (call depth, gas). */
  readonly limited: number;
  /** Accepted, not run: imports or no exported function without parameters. */
  readonly notRun: number;
  readonly wrong: readonly ModuleFinding[];
  readonly durationMs: number;
}

// ------------------------------------------------------------------ the grammar

const BIN32 = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u'];
const CMP32 = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'ge_u'];
const BIN64 = ['add', 'sub', 'mul', 'div_s', 'rem_u', 'and', 'xor', 'shl', 'shr_s', 'rotl'];
const FUNCTIONS = 3;

/** WAT text of a random module: integer code that terminates (loops counted, recursion bounded by a parameter). */
export function grammarModule(rng: Rng): string {
  const pick = <T>(items: readonly T[]) => items[rng.int(items.length)];
  const int32 = () => pick([0, 1, -1, 7, 255, 0x7fffffff, -0x80000000, rng.int(1 << 30), rng.int(70000)]);
  const loopDepth = { value: 0 };
  const e32 = (d: number): string => {
    if (d <= 0) return pick([`(i32.const ${int32()})`, '(local.get $p)', '(local.get $a)', '(global.get $g)']);
    switch (rng.int(12)) {
      case 0:
      case 1:
        return `(i32.${pick(BIN32)} ${e32(d - 1)} ${e32(d - 1)})`;
      case 2:
        return `(i32.${pick(CMP32)} ${e32(d - 1)} ${e32(d - 1)})`;
      case 3:
        return `(i32.${pick(['eqz', 'clz', 'ctz', 'popcnt'])} ${e32(d - 1)})`;
      case 4:
        return `(i32.wrap_i64 ${e64(d - 1)})`;
      case 5:
        // addresses up to 2 pages: past the first, out of bounds unless the memory grew
        return `(i32.${pick(['load', 'load8_u', 'load16_s'])} offset=${rng.int(64)} (i32.and ${e32(d - 1)} (i32.const 0x1ffff)))`;
      case 6:
        return pick(['(memory.size)', `(memory.grow (i32.and ${e32(d - 1)} (i32.const 1)))`]);
      case 7:
        return `(if (result i32) ${e32(d - 1)} (then ${e32(d - 1)}) (else ${e32(d - 1)}))`;
      case 8:
        return `(block (result i32) ${stmt(d - 1)} ${e32(d - 1)})`;
      case 9:
        return `(select ${e32(d - 1)} ${e32(d - 1)} ${e32(d - 1)})`;
      case 10:
        // recursion: only while the depth parameter is positive
        return `(if (result i32) (i32.gt_s (local.get $d) (i32.const 0)) (then (call $f${rng.int(FUNCTIONS)} ${e32(d - 1)} (i32.sub (local.get $d) (i32.const 1)))) (else ${e32(d - 1)}))`;
      default:
        return `(local.tee $a ${e32(d - 1)})`;
    }
  };
  const e64 = (d: number): string => {
    if (d <= 0) return pick([`(i64.const ${BigInt(int32()) * 65537n})`, '(local.get $b)']);
    switch (rng.int(4)) {
      case 0:
      case 1:
        return `(i64.${pick(BIN64)} ${e64(d - 1)} ${e64(d - 1)})`;
      case 2:
        return `(i64.extend_i32_${pick(['s', 'u'])} ${e32(d - 1)})`;
      default:
        return `(i64.load offset=${rng.int(64)} (i32.and ${e32(d - 1)} (i32.const 0x1ffff)))`;
    }
  };
  const stmt = (d: number): string => {
    switch (rng.int(loopDepth.value === 0 && d > 0 ? 8 : 7)) {
      case 0:
        return `(local.set $a ${e32(d)})`;
      case 1:
        return `(local.set $b ${e64(d)})`;
      case 2:
        return `(global.set $g ${e32(d)})`;
      case 3:
        return `(i32.store${pick(['', '8', '16'])} offset=${rng.int(64)} (i32.and ${e32(d)} (i32.const 0x1ffff)) ${e32(d)})`;
      case 4:
        return `(i64.store offset=${rng.int(64)} (i32.and ${e32(d)} (i32.const 0x1ffff)) ${e64(d)})`;
      case 5:
        return rng.int(8) === 0 ? '(unreachable)' : `(drop ${e32(d)})`;
      case 6:
        return `(if ${e32(d)} (then (return ${e32(d)})))`;
      default: {
        // one counted loop at a time, so its counter is never reset from inside
        loopDepth.value++;
        const body = `(local.set $i (i32.const 0)) (loop $l ${stmt(d - 1)} ${stmt(d - 1)} (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const ${1 + rng.int(20)}))))`;
        loopDepth.value--;
        return body;
      }
    }
  };
  const functions = Array.from(
    { length: FUNCTIONS },
    (_, i) =>
      `(func $f${i} (param $p i32) (param $d i32) (result i32) (local $a i32) (local $b i64) (local $i i32)\n` +
      `  ${stmt(3)} ${stmt(3)} ${e32(4)})`,
  );
  // mostly shallow recursion; sometimes deep enough for our call-depth limit (and V8's stack) to end it
  const depth = pick([0, 1, 3, 10, 50, 100_000]);
  const data = Array.from({ length: 8 }, () => `\\${rng.int(256).toString(16).padStart(2, '0')}`).join('');
  return [
    '(module',
    `  (memory (export "memory") 1 2)`,
    `  (global $g (mut i32) (i32.const ${int32()}))`,
    `  (data (i32.const ${rng.int(65000)}) "${data}")`,
    ...functions.map((f) => `  ${f}`),
    `  (func (export "run") (result i32) (call $f0 (i32.const ${int32()}) (i32.const ${depth})))`,
    `  (func (export "peek") (result i32) (global.get $g)))`,
  ].join('\n');
}

/** A few random byte changes (or a cut) to a binary: mostly invalid modules, some still valid. */
export function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = new Uint8Array(bytes);
  if (rng.int(5) === 0) return out.subarray(0, 8 + rng.int(Math.max(1, out.length - 8)));
  for (let i = 1 + rng.int(4); i > 0; i--) out[8 + rng.int(out.length - 8)] = rng.int(256);
  return out;
}

// ------------------------------------------------------------------ the tools, loaded on demand

type Wabt = { parseWat(name: string, text: string): { toBinary(o: object): { buffer: Uint8Array }; destroy(): void } };
let wabt: Promise<Wabt> | undefined;
function compileWat(text: string): Promise<Uint8Array> {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by this tool */
  wabt ??= (require('wabt') as () => Promise<Wabt>)();
  return wabt.then((tools) => {
    const module = tools.parseWat('fuzz.wat', text);
    try {
      return module.toBinary({}).buffer;
    } finally {
      module.destroy();
    }
  });
}

/** binaryen's translate-to-fuzz: random bytes → a random valid module (its wasm-opt, as shipped in the package). */
function binaryenModule(rng: Rng, dir: string): Uint8Array {
  const wasmOpt = path.join(path.dirname(require.resolve('binaryen/package.json')), 'bin', 'wasm-opt');
  const input = path.join(dir, 'input.dat');
  const output = path.join(dir, 'ttf.wasm');
  writeFileSync(input, Buffer.from(Array.from({ length: 2048 }, () => rng.int(256))));
  const r = spawnSync(process.execPath, [wasmOpt, '-ttf', input, '-o', output, '--mvp-features'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`binaryen wasm-opt -ttf failed: ${r.stderr || r.error?.message}`);
  return new Uint8Array(readFileSync(output));
}

// ------------------------------------------------------------------ running

type Outcome = { kind: 'ok' | 'trap' | 'limit'; text: string; memory?: Buffer; gas?: bigint };

/** Ample for the grammar's modules; it bounds a mutated module that never ends (ours runs first). */
const GAS = 100_000_000n;
const describeError = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`;
const isStackOverflow = (error: unknown) =>
  error instanceof RangeError && /call stack size/i.test((error as Error).message);

/** The exported functions without parameters, in export order. */
function entryPoints(module: WebAssembly.Module, instance: WebAssembly.Instance): [string, () => unknown][] {
  return WebAssembly.Module.exports(module)
    .filter((e) => e.kind === 'function' && !e.name.startsWith('\u0000'))
    .map((e) => [e.name, instance.exports[e.name] as () => unknown] as [string, () => unknown])
    .filter(([, f]) => f.length === 0);
}

const show = (value: unknown) => (typeof value === 'bigint' ? `${value}n` : `${value}`);

function runOriginal(bytes: Uint8Array): Outcome | 'stack' {
  const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, {});
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    return { kind: 'trap', text: `instantiation: ${describeError(error)}` };
  }
  const results: string[] = [];
  try {
    for (const [name, f] of entryPoints(module, instance)) results.push(`${name}=${show(f())}`);
  } catch (error) {
    if (isStackOverflow(error)) return 'stack';
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    return { kind: 'trap', text: [...results, describeError(error)].join(' '), memory: memoryOf(instance) };
  }
  return { kind: 'ok', text: results.join(' '), memory: memoryOf(instance) };
}

/** The original's memory, under whatever name it is exported (a mutation may rename it); ours is imported. */
const memoryOf = (instance: WebAssembly.Instance) => {
  const memory = Object.values(instance.exports).find((e) => e instanceof WebAssembly.Memory);
  return memory && Buffer.from(memory.buffer);
};

function runInstrumented(module: WebAssembly.Module, memoryPages: { initial: number; maximum: number } | undefined) {
  const memory = memoryPages && new WebAssembly.Memory(memoryPages);
  const imports: WebAssembly.Imports = memory ? { [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory } } : {};
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (error) {
    // a start function (metered from a gas limit of 0) or a data segment that does not fit: the original is not
    // run, since its start function could run forever
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    return { kind: 'limit', text: `instantiation: ${describeError(error)}` } as Outcome;
  }
  const global = (name: string) => instance.exports[name] as WebAssembly.Global;
  global(INJECTED.gasLimit).value = GAS;
  global(INJECTED.depthLimit).value = CALL_DEPTH_BUDGET;
  const results: string[] = [];
  const finish = (kind: Outcome['kind'], text: string): Outcome => ({
    kind,
    text,
    memory: memory && Buffer.from(memory.buffer),
    gas: global(INJECTED.gasUsed).value as bigint,
  });
  try {
    for (const [name, f] of entryPoints(module, instance)) results.push(`${name}=${show(f())}`);
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError) && !isStackOverflow(error)) throw error;
    const breakpoint = global(INJECTED.breakpoint).value as number;
    if (breakpoint === INJECTED_BREAKPOINT.callDepth) return finish('limit', 'call depth');
    if (breakpoint === INJECTED_BREAKPOINT.outOfGas) return finish('limit', 'out of gas');
    return finish('trap', [...results, describeError(error)].join(' '));
  }
  return finish('ok', results.join(' '));
}

/** One module through the pipeline; the problem found, or how it ended. */
function check(bytes: Uint8Array, opcodeCosts: readonly number[]): { status: keyof typeof STATUS; problem?: string } {
  let instrumented: ReturnType<typeof instrumentModule>;
  let module: WebAssembly.Module;
  try {
    instrumented = instrumentModule(bytes, opcodeCosts);
    module = new WebAssembly.Module(instrumented.bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    if (error instanceof InvalidModule || error instanceof WebAssembly.CompileError) return { status: 'rejected' };
    return { status: 'wrong', problem: `the pipeline threw ${describeError(error)}` };
  }
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>))
    return { status: 'wrong', problem: 'accepted a module V8 finds invalid' };
  const original = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  if (WebAssembly.Module.imports(original).length > 0) return { status: 'notRun' };
  // ours first: gas bounds it, so a module that never ends is found here and the original is not run
  const first = runInstrumented(module, instrumented.memory);
  const second = runInstrumented(module, instrumented.memory);
  if (first.text !== second.text || first.gas !== second.gas || !sameMemory(first.memory, second.memory))
    return {
      status: 'wrong',
      problem: `two runs differ: ${first.text} (gas ${first.gas}) vs ${second.text} (gas ${second.gas})`,
    };
  if (first.kind === 'limit') return { status: 'limited' };
  const reference = runOriginal(bytes);
  if (reference === 'stack')
    return { status: 'wrong', problem: `V8's stack overflowed where ours ended: ${first.text}` };
  if (reference.text !== first.text)
    return { status: 'wrong', problem: `results differ: V8 ${reference.text}, instrumented ${first.text}` };
  // a module that does not export its memory has none to compare
  if (reference.memory && !sameMemory(reference.memory, first.memory))
    return { status: 'wrong', problem: 'final memories differ' };
  return { status: 'same' };
}

const STATUS = { rejected: 0, wrong: 0, notRun: 0, limited: 0, same: 0 };
const sameMemory = (a: Buffer | undefined, b: Buffer | undefined) => (a && b ? a.equals(b) : a === b);

export async function fuzzModules(options: ModuleFuzzOptions): Promise<ModuleFuzzReport> {
  const started = performance.now();
  const rng = new Rng(options.seed);
  const opcodeCosts = referenceTestGasSchedule().opcodeCosts.map(Number);
  const counts = { ...STATUS };
  const generated: Record<ModuleSource, number> = { grammar: 0, mutated: 0, binaryen: 0 };
  const wrong: ModuleFinding[] = [];
  const total = options.modules + (options.binaryen ?? 0);
  const scratch = (options.binaryen ?? 0) > 0 ? mkdtempSync(path.join(tmpdir(), 'vm-fuzz-ttf-')) : undefined;
  try {
    for (let index = 1; index <= total; index++) {
      let source: ModuleSource;
      let bytes: Uint8Array;
      if (index > options.modules) {
        source = 'binaryen';
        bytes = binaryenModule(rng, scratch!);
      } else {
        const text = grammarModule(rng);
        bytes = await compileWat(text);
        source = rng.int(5) < 2 ? 'mutated' : 'grammar';
        if (source === 'mutated') bytes = mutate(bytes, rng);
      }
      generated[source]++;
      const { status, problem } = check(bytes, opcodeCosts);
      counts[status]++;
      if (problem) {
        mkdirSync(options.outDir, { recursive: true });
        const file = path.join(options.outDir, `modules-seed${options.seed}-${index}.wasm`);
        if (wrong.length === 0) {
          // atomically: a temporary file, then a rename
          writeFileSync(`${file}.${process.pid}.tmp`, bytes);
          renameSync(`${file}.${process.pid}.tmp`, file);
        }
        wrong.push({ index, source, problem, file });
      }
      options.onModule?.(index);
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  return {
    seed: options.seed,
    generated,
    rejected: counts.rejected,
    accepted: counts.same + counts.limited + counts.notRun + counts.wrong,
    same: counts.same,
    limited: counts.limited,
    notRun: counts.notRun,
    wrong,
    durationMs: performance.now() - started,
  };
}
