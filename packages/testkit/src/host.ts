/**
 * `@vm/testkit/host`: helpers for tests that run the VM itself. A separate entry point, so the protocol and
 * messenger tests, which import `@vm/testkit`, never load `@vm/host`.
 */
import { spawn, spawnSync, type SpawnOptionsWithoutStdio, type SpawnSyncOptions } from 'node:child_process';
import path from 'node:path';
import type { GasScheduleMap } from '@vm/protocol';
import { VMHost, createGasSchedule, EEI_ROWS, GAS_SECTION_KEYS } from '@vm/host';
import { FakeBlockchainHook } from './fakeHook';

/** Costs to change in the test schedule, by section and key. */
export type GasOverrides = { readonly [section: string]: { readonly [key: string]: bigint } };

/** The reference's test schedule as a map: every cost 1, AsyncCallbackGasLock 100000 (MakeGasMapForTests). */
export function testGasScheduleMap(overrides: GasOverrides = {}): GasScheduleMap {
  const map: GasScheduleMap = {};
  for (const [section, keys] of Object.entries(GAS_SECTION_KEYS))
    map[section] = Object.fromEntries(keys.map((k) => [k, 1n]));
  map.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
  for (const [section, costs] of Object.entries(overrides)) Object.assign(map[section], costs);
  return map;
}

/** The test schedule, validated (what `VMHost` takes). */
export const testSchedule = (overrides: GasOverrides = {}) => createGasSchedule(testGasScheduleMap(overrides));

/** An in-process VM on a fake blockchain, with the test schedule and the reference's block gas limit. */
export function newHost(hook = new FakeBlockchainHook(), schedule = testSchedule()) {
  return { hook, vm: new VMHost({ blockchainHook: hook, gasSchedule: schedule, blockGasLimit: 10_000_000n }) };
}

/**
 * WAT import declarations for host functions, derived from the contract API table (so a contract's imports always
 * match the VM's signatures): every function of `namespace`, or only `names`, each as `$<prefix><name>` unless
 * `as` names it otherwise.
 */
export function eeiImports(
  namespace: string,
  { names, prefix = '', as = {} }: { names?: string[]; prefix?: string; as?: Record<string, string> } = {},
) {
  const rows = EEI_ROWS.filter((r) => r.namespace === namespace && (!names || names.includes(r.name)));
  const missing = names?.filter((n) => !rows.some((r) => r.name === n)) ?? [];
  if (missing.length) throw new Error(`eeiImports: no ${namespace} host function named ${missing.join(', ')}`);
  const types = (spec: string) => [...spec].map((t) => (t === 'i' ? 'i32' : 'i64')).join(' ');
  return rows
    .map((r) => {
      const params = r.params ? ` (param ${types(r.params)})` : '';
      const results = r.results ? ` (result ${types(r.results)})` : '';
      return `(import "${namespace}" "${r.name}" (func $${as[r.name] ?? prefix + r.name}${params}${results}))`;
    })
    .join('\n');
}

/** The executables of `@vm/host`, as users run them (the built `packages/host/bin/<name>.js`). */
export type HostBin = 'arwen' | 'vm-scenario' | 'vm-fuzz' | 'vm-debug';

export const binPath = (bin: HostBin) => path.join(__dirname, '..', '..', 'host', 'bin', `${bin}.js`);

/** One run of an executable to its end (deadline 5 minutes unless `options.timeout`): exit code, stdout, stderr. */
export function runBin(bin: HostBin, args: readonly string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [binPath(bin), ...args], { timeout: 300_000, ...options, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** An executable started on this Node.js, with pipes for stdin, stdout and stderr. */
export function spawnBin(bin: HostBin, args: readonly string[], options: SpawnOptionsWithoutStdio = {}) {
  return spawn(process.execPath, [binPath(bin), ...args], { ...options, stdio: 'pipe' });
}
