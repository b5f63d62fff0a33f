import { GAS_SECTION_KEYS } from '@vm/host';
import type { GasScheduleMap } from '@vm/protocol';
import { VMError } from '@vm/protocol';

export function testGasScheduleMap(): GasScheduleMap {
  const map: GasScheduleMap = {};
  for (const [section, keys] of Object.entries(GAS_SECTION_KEYS))
    map[section] = Object.fromEntries(keys.map((k) => [k, 1n]));
  map.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
  return map;
}

export async function rejection(promise: Promise<unknown>): Promise<VMError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof VMError)) throw new Error(`expected a VMError, got ${String(error)}`);
  return error;
}
