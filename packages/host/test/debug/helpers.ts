import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wat } from '@vm/testkit';

/** A counter: init stores 0, increment adds 1 and returns the new value, get returns it. */
export const COUNTER_WAT = `(module
  (import "env" "int64storageLoad" (func $load (param i32 i32) (result i64)))
  (import "env" "int64storageStore" (func $store (param i32 i32 i64) (result i32)))
  (import "env" "int64finish" (func $finish (param i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "counter")
  (func (export "init") (drop (call $store (i32.const 0) (i32.const 7) (i64.const 0))))
  (func (export "increment") (local $n i64)
    (local.set $n (i64.add (call $load (i32.const 0) (i32.const 7)) (i64.const 1)))
    (drop (call $store (i32.const 0) (i32.const 7) (local.get $n)))
    (call $finish (local.get $n)))
  (func (export "get") (call $finish (call $load (i32.const 0) (i32.const 7)))))`;

/** The same counter counting by ten: an upgrade target. */
export const COUNTER_BY_TEN_WAT = COUNTER_WAT.replace('(i64.const 1)))', '(i64.const 10)))').replace(
  '(func (export "init") (drop (call $store (i32.const 0) (i32.const 7) (i64.const 0))))',
  '(func (export "init"))',
);

export const ALICE = Buffer.alloc(32, 0xaa).toString('hex');
export const BOB = Buffer.alloc(32, 0xbb).toString('hex');

/** The reference debug world's address of a contract deployed by `creator` at `nonce`. */
export function contractAddress(creator: string, nonce: number): string {
  const bytes = Buffer.from(creator, 'hex');
  bytes.write('contract', 0, 'latin1');
  bytes.write(String(nonce), 8, 'latin1');
  return bytes.toString('hex');
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `vm-debug-${prefix}`));
}

/** A temp folder holding counter.wasm and counter10.wasm. */
export async function contractFolder(prefix: string): Promise<{ dir: string; counter: Uint8Array; byTen: Uint8Array }> {
  const dir = tempDir(prefix);
  const counter = await wat(COUNTER_WAT);
  const byTen = await wat(COUNTER_BY_TEN_WAT);
  writeFileSync(path.join(dir, 'counter.wasm'), counter);
  writeFileSync(path.join(dir, 'counter10.wasm'), byTen);
  return { dir, counter, byTen };
}

/** A ReturnData item (base64) as a number. */
export function returnedNumber(item: string): number {
  const bytes = Buffer.from(item, 'base64');
  return bytes.length === 0 ? 0 : Number(BigInt(`0x${bytes.toString('hex')}`));
}

/** The built executable, as users run it. */
export const DEBUG_BIN = path.join(__dirname, '..', '..', 'bin', 'vm-debug.js');

/** Starts `vm-debug server --port 0 ...args` in `cwd`; resolves with the URL it prints. */
export function startServerProcess(
  cwd: string,
  ...args: string[]
): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [DEBUG_BIN, 'server', '--port', '0', ...args], { cwd });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /vm-debug listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

/** Runs the built `vm-debug` with `args` in `cwd` (asynchronously, so several run at once). */
export function runCli(cwd: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [DEBUG_BIN, ...args], { cwd });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

export const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
