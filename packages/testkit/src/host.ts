/**
 * `@vm/testkit/host`: helpers for tests that run the VM itself. A separate entry point, so the protocol and
 * messenger tests, which import `@vm/testkit`, never load `@vm/host`.
 */
import type { GasScheduleMap } from '@vm/protocol';
import { VMHost, createGasSchedule, GAS_SECTION_KEYS } from '@vm/host';
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
