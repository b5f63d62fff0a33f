/**
 * Deploys (digest §2.1) and upgrades (§2.2): performCodeDeploy's initial gas, the instance, VerifyContractCode,
 * the init function, the code into the output. Contract creation from a running contract (create.ts) shares the
 * verification and the init call.
 */
import type { ContractCallInput, ContractCreateInput, VMInput, VMOutput } from '@vm/protocol';
import type { BlockchainContext } from '../contexts/blockchain';
import type { OutputContext } from '../contexts/output';
import { callExport, INIT_FUNCTIONS } from './call';
import { halt } from './contractErrors';
import { NO_BYTES, type ExecutionContext } from './executionContext';
import { topFrame } from './frame';
import type { Host } from './host';
import { compileCost, deductInitialGas } from './metering';
import { isValidExportName } from './reservedNames';

/** RunSmartContractCreate: the address from the hook, then performCodeDeploy. */
export function runDeploy(
  host: Host,
  input: ContractCreateInput,
  output: OutputContext,
  blockchain: BlockchainContext,
): VMOutput {
  const address = blockchain.newAddress(input.CallerAddr ?? NO_BYTES);
  const code = input.ContractCode ?? NO_BYTES;
  return performCodeDeploy(host, { input, address, code, metadata: input.ContractCodeMetadata, output, blockchain });
}

/** RunSmartContractCall for `upgradeContract`: arguments code, metadata, then init's. */
export function runUpgrade(
  host: Host,
  input: ContractCallInput,
  output: OutputContext,
  blockchain: BlockchainContext,
): VMOutput {
  const args = input.Arguments ?? [];
  if (args.length < 2) halt('upgradeInvalidArguments');
  return performCodeDeploy(host, {
    input,
    address: input.RecipientAddr ?? NO_BYTES,
    code: args[0] ?? NO_BYTES,
    metadata: args[1],
    args: args.slice(2),
    fn: input.Function,
    output,
    blockchain,
  });
}

interface CodeDeploy {
  readonly input: VMInput;
  readonly address: Uint8Array;
  readonly code: Uint8Array;
  readonly metadata: Uint8Array | null;
  /** init's arguments (default: the input's). */
  readonly args?: readonly (Uint8Array | null)[];
  /** The function the frame reports ('' for a deploy). */
  readonly fn?: string;
  readonly output: OutputContext;
  readonly blockchain: BlockchainContext;
}

/** performCodeDeploy (§2.1 steps 3-6). */
function performCodeDeploy(host: Host, deploy: CodeDeploy): VMOutput {
  const { input, address, code, output } = deploy;
  output.account(address).balanceDelta += input.CallValue ?? 0n;
  const { schedule } = host.config;
  const gas = deductInitialGas(
    input.GasProvided,
    schedule.costs.Kalyan3104APICost.CreateContract + compileCost(schedule, code),
  );
  const ctx = topFrame(host, {
    input,
    address,
    fn: deploy.fn ?? '',
    args: deploy.args,
    output,
    blockchain: deploy.blockchain,
  });
  host.instances.start(ctx, code, gas);
  verifyContractCode(host, ctx);
  callInit(host, ctx);
  output.deployCode(address, code, deploy.metadata);
  return output.toVMOutput(ctx.gasLeft);
}

/** VerifyContractCode: an exported memory, and valid, void exported functions. */
export function verifyContractCode(host: Host, ctx: ExecutionContext): void {
  const contract = ctx.instance.contract;
  if (contract.memoryExport === undefined) halt('contractInvalid');
  for (const [name, type] of contract.functions) {
    if (!isValidExportName(name, host.config.reservedNames) || type.params.length > 0 || type.results.length > 0)
      halt('contractInvalid');
  }
}

/** callInitFunction: `init`, else `solidity.ctor`, else nothing. */
export function callInit(host: Host, ctx: ExecutionContext): void {
  const init = INIT_FUNCTIONS.find((name) => ctx.instance.hasFunction(name));
  if (init) callExport(host, ctx, init);
}
