/**
 * The transaction of a failing step as the scenario wrote it (from, to, function, arguments), and for a contract
 * the VM rejected (ContractInvalid) the validator's reason: the VM's message is the reference's fixed
 * `invalid contract code`, so the reason is found again here by validating the code.
 */
import { ReturnCode, type VMOutput } from '@vm/protocol';
import { rowsByName } from '../eei/table';
import { ModuleCache } from '../execution/moduleCache';
import { EEI_ROWS } from '../vmHost';
import { referenceTestGasSchedule } from './executor';
import type { ScenarioWorld } from './memoryWorld';
import type { Bytes, TxStep } from './model';
import { showBytes } from './checks';

const shown = (value: Bytes | undefined) => value?.original ?? showBytes(value?.value);

/** `tx: from …, to …, function …, arguments […]`, then the invalid contract's reason if that was the outcome. */
export function describeTx(step: TxStep, output: VMOutput | null, world: ScenarioWorld): string[] {
  const { tx } = step;
  const parts: string[] = [];
  if (tx.from) parts.push(`from ${shown(tx.from)}`); // an scQuery has none
  if (step.kind === 'scDeploy') parts.push(`deploy ${shown(tx.contractCode)}`);
  else parts.push(`to ${shown(tx.to)}`);
  if (tx.function !== undefined) parts.push(`function ${tx.function}`);
  parts.push(`arguments [${(tx.arguments ?? []).map(shown).join(', ')}]`);
  if (tx.value?.value) parts.push(`value ${tx.value.original ?? tx.value.value}`);
  const lines = [`tx: ${parts.join(', ')}`];
  if (output?.ReturnCode === ReturnCode.ContractInvalid) {
    const code = step.kind === 'scDeploy' ? tx.contractCode?.value : tx.to && world.account(tx.to.value)?.code;
    const reason = code && contractProblem(code);
    if (reason) lines.push(`contract invalid: ${reason}`);
  }
  return lines;
}

/** Why the VM refuses this code (undefined when it is valid). */
export function contractProblem(code: Uint8Array): string | undefined {
  if (code.length === 0) return 'no code';
  const compiled = new ModuleCache(referenceTestGasSchedule(), rowsByName(EEI_ROWS)).get(code);
  if (!compiled.ok) return compiled.reason;
  return compiled.contract.memoryExport === undefined ? 'no memory is exported' : undefined;
}
