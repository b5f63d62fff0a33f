import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VMError } from '@vm/protocol';
import { conformanceFile, describeWithConformance } from '@vm/testkit';
import {
  createGasSchedule,
  loadGasSchedule,
  readGasScheduleFile,
  GAS_SECTION_KEYS,
  OPCODE_COST_KEYS,
  HostError,
} from '@vm/host';

const fullMap = () =>
  Object.fromEntries(
    Object.entries(GAS_SECTION_KEYS).map(([s, keys]) => [s, Object.fromEntries(keys.map((k) => [k, 1n]))]),
  );

describe('[@vm/host] gas schedule', () => {
  it('has the reference sections: 5 + 38 + 33 + 35 + 2 keys and 447 opcode costs', () => {
    expect(Object.fromEntries(Object.entries(GAS_SECTION_KEYS).map(([s, k]) => [s, k.length]))).toEqual({
      BaseOperationCost: 5,
      Kalyan3104APICost: 38,
      EthAPICost: 33,
      BigIntAPICost: 35,
      CryptoAPICost: 2,
      WASMOpcodeCost: 447,
    });
    expect(OPCODE_COST_KEYS[0]).toBe('Unreachable');
    expect(OPCODE_COST_KEYS[53]).toBe('I32Eqz');
    expect(OPCODE_COST_KEYS[181]).toBe('I32TruncSatF32S');
  });

  it.each([
    ['missing', (m: Record<string, Record<string, bigint>>) => delete m.Kalyan3104APICost.StorageStore, 'StorageStore'],
    ['zero', (m: Record<string, Record<string, bigint>>) => (m.WASMOpcodeCost.I64Add = 0n), 'I64Add'],
  ])('rejects a %s cost, naming the key', (_name, mutate, key) => {
    const map = fullMap();
    mutate(map);
    expect(() => createGasSchedule(map)).toThrow(`Gas cost for operation ${key} has been set to 0 or is not set.`);
    try {
      createGasSchedule(map);
    } catch (error) {
      expect(VMError.is(error, HostError.InvalidGasSchedule)).toBe(true);
    }
  });

  it('reads JSON with integers beyond 2^53 exactly', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'gas-')), 'schedule.json');
    const map = fullMap();
    map.BaseOperationCost.CompilePerByte = 18446744073709551615n;
    writeFileSync(
      file,
      JSON.stringify(map, (_k, v) => (typeof v === 'bigint' ? `@@${v}@@` : v)).replace(/"@@(\d+)@@"/g, '$1'),
    );
    expect(loadGasSchedule(file).costs.BaseOperationCost.CompilePerByte).toBe(18446744073709551615n);
  });
});

describeWithConformance('[@vm/host] the reference gas schedules', () => {
  it("loads the reference's TOML and JSON schedules", () => {
    const toml = loadGasSchedule(conformanceFile('test', 'gasSchedule.toml'));
    expect(toml.costs.Kalyan3104APICost.StorageStore).toBe(250000n);
    expect(toml.costs.BaseOperationCost.StorePerByte).toBe(50000n);
    expect(readGasScheduleFile(conformanceFile('test', 'gasSchedule.toml')).BuiltInCost.ChangeOwnerAddress).toBe(
      5000000n,
    );
    const json = loadGasSchedule(conformanceFile('anchor-gas-schedule-for-tests.json'));
    expect(json.costs.Kalyan3104APICost.AsyncCallbackGasLock).toBe(100000n);
    expect(json.opcodeCosts.every((c) => c === 1n)).toBe(true);
  });
});
