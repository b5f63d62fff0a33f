/**
 * Values a node never sends in a contract request: refused before anything runs, in process (VMHost) and through
 * the process stack (the driver, before writing), with the same typed error. The reference would execute them
 * (a negative CallValue made value vanish from the output; an unknown CallType ran as a direct call).
 */
import { ErrorCode, VMError } from '../errors';
import type { ContractCallInput, ContractCreateInput } from '../wire/shapes';
import { CallType } from './vmTypes';

const CALL_TYPES: ReadonlySet<number> = new Set(
  Object.values(CallType).filter((value): value is number => typeof value === 'number'),
);
const U64_MAX = (1n << 64n) - 1n;

function u64Problem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'bigint') return `${name} must be a bigint, got ${typeof value}`;
  if (value < 0n || value > U64_MAX) return `${name} ${value} is not a u64`;
  return undefined;
}

/** What is wrong with a request's input, or undefined when it can be executed. */
export function contractInputProblem(
  input: ContractCallInput | ContractCreateInput,
  kind: 'call' | 'create',
): string | undefined {
  if (input === null || typeof input !== 'object') return 'the input is missing';
  if (input.CallValue !== null && input.CallValue !== undefined) {
    if (typeof input.CallValue !== 'bigint') return `CallValue must be a bigint, got ${typeof input.CallValue}`;
    if (input.CallValue < 0n) return `CallValue ${input.CallValue} is negative`;
  }
  if (!CALL_TYPES.has(input.CallType)) return `CallType ${String(input.CallType)} is not a known call type`;
  const problem = u64Problem('GasProvided', input.GasProvided) ?? u64Problem('GasPrice', input.GasPrice);
  if (problem) return problem;
  if (kind === 'call') {
    const call = input as ContractCallInput;
    if (!call.RecipientAddr || call.RecipientAddr.length === 0) return 'RecipientAddr is missing';
    if (typeof call.Function !== 'string') return 'Function must be a string';
  }
  return undefined;
}

/** Throws InvalidContractInput (not critical) when the input cannot be executed. */
export function assertContractInput(input: ContractCallInput | ContractCreateInput, kind: 'call' | 'create'): void {
  const problem = contractInputProblem(input, kind);
  if (problem !== undefined) throw new VMError(ErrorCode.InvalidContractInput, problem);
}
