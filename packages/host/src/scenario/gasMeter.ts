/**
 * Records the gas of every execution a VMExecutionHandler runs (for `vm-scenario --gas-report`): the provided gas
 * minus what remained, per function (`init` for a deploy).
 */
import type { ContractCallInput, ContractCreateInput, VMExecutionHandler, VMOutput } from '@vm/protocol';

export interface GasRecord {
  readonly file: string;
  readonly function: string;
  readonly gasUsed: bigint;
  readonly returnCode: number;
}

export function meterGas(vm: VMExecutionHandler, record: (r: Omit<GasRecord, 'file'>) => void): VMExecutionHandler {
  const note = (name: string, provided: bigint, output: VMOutput) => {
    record({ function: name, gasUsed: provided - output.GasRemaining, returnCode: output.ReturnCode });
    return output;
  };
  return {
    runSmartContractCreate: async (input: ContractCreateInput) =>
      note('init', input.GasProvided, await vm.runSmartContractCreate(input)),
    runSmartContractCall: async (input: ContractCallInput) =>
      note(input.Function, input.GasProvided, await vm.runSmartContractCall(input)),
  };
}

/** Per function: calls, min, average (rounded down), max and total gas, sorted by name. */
export function gasByFunction(records: readonly GasRecord[]) {
  const by = new Map<string, bigint[]>();
  for (const r of records) by.set(r.function, [...(by.get(r.function) ?? []), r.gasUsed]);
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, used]) => {
      const total = used.reduce((a, b) => a + b, 0n);
      const min = used.reduce((a, b) => (b < a ? b : a));
      const max = used.reduce((a, b) => (b > a ? b : a));
      return { function: name, calls: used.length, min, avg: total / BigInt(used.length), max, total };
    });
}
