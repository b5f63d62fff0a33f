/**
 * CreateNewContract (digest §3.3, `createContract` and the ethereum `create`): all remaining gas goes to the new
 * contract's init, which runs on the creator's storage and big integers; the output is not reverted on failure
 * (a reference quirk, decision 5).
 */
import { METADATA_UPGRADEABLE } from '@vm/protocol';
import { halt } from './contractErrors';
import { verifyContractCode, callInit } from './deploy';
import { ExecutionContext, type CallState, type CreateContractOptions } from './executionContext';
import type { Host } from './host';
import { compileCost, deductInitialGas } from './metering';

/** The code metadata of a contract created by a contract: upgradeable. */
export const CREATED_CONTRACT_METADATA = Uint8Array.of(METADATA_UPGRADEABLE, 0);

export function createNewContract(host: Host, parent: ExecutionContext, options: CreateContractOptions): Uint8Array {
  const { value, code, gas } = options;
  parent.useGas(gas);
  if (parent.readOnly) halt('readOnly');
  const creator = parent.scAddress;
  const address = parent.blockchain.newAddress(creator);
  parent.blockchain.transfer({ destination: address, sender: creator, value });
  parent.blockchain.increaseNonce(creator);
  const childGas = deductInitialGas(gas, compileCost(host.config.schedule, code));
  const call: CallState = { ...parent.call, caller: creator, arguments: options.args, callValue: value, function: '' };
  const child = new ExecutionContext({
    call,
    address,
    output: parent.output,
    storage: parent.storage,
    blockchain: parent.blockchain,
    bigInts: parent.bigInts,
    host,
  });
  host.instances.start(child, code, childGas);
  try {
    verifyContractCode(host, child);
    callInit(host, child);
    parent.output.deployCode(
      address,
      code,
      options.metadata === undefined ? CREATED_CONTRACT_METADATA : options.metadata,
    );
    parent.metering.restoreGas(child.gasLeft);
  } finally {
    host.instances.end(child);
  }
  return address;
}
