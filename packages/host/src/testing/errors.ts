/**
 * The test API's errors: bad input to the API, a transaction the VM did not run to success, and an assertion that
 * does not hold. Each says what went wrong in words a contract developer can act on.
 */
import { ReturnCode, returnCodeString, type VMOutput } from '@vm/protocol';
import { hexOf, shortAddress } from './format';

/** A call of the test API with a missing, mistyped or malformed field; the message names the operation and field. */
export class TestInputError extends TypeError {
  override readonly name = 'TestInputError';
}

/** An assertion of the test API (expectFailure, assertAccount) that does not hold. */
export class TestAssertionError extends Error {
  override readonly name = 'TestAssertionError';
}

/** A transaction as the test world sent it to the VM. */
export interface TestTransaction {
  readonly kind: 'deploy' | 'call' | 'query' | 'transfer';
  readonly from: Uint8Array;
  /** The contract called, the account paid; none for a deploy. */
  readonly to?: Uint8Array;
  readonly function?: string;
  readonly args: readonly Uint8Array[];
  readonly value: bigint;
  readonly gasLimit: bigint;
  readonly gasPrice: bigint;
}

/** A transaction that did not end with ReturnCode Ok: nothing it did is applied (its gas is paid, its nonce used). */
export class TxFailure extends Error {
  override readonly name = 'TxFailure';
  readonly returnCode: ReturnCode;
  /** The ReturnCode's name, e.g. `UserError`. */
  readonly returnCodeName: string;
  /** The VM's ReturnMessage (a contract's signalError text). */
  readonly returnMessage: string;
  readonly gasUsed: bigint;

  constructor(
    readonly transaction: TestTransaction,
    readonly output: VMOutput,
  ) {
    const code = output.ReturnCode as ReturnCode;
    const gasUsed = transaction.gasLimit - output.GasRemaining;
    super(
      `${describeTransaction(transaction)} failed: ${code} (${returnCodeString(code)})` +
        `${output.ReturnMessage ? ` "${output.ReturnMessage}"` : ''}, gas used ${gasUsed}`,
    );
    this.returnCode = code;
    this.returnCodeName = ReturnCode[code] ?? `ReturnCode${code}`;
    this.returnMessage = output.ReturnMessage;
    this.gasUsed = gasUsed;
  }
}

/** `call add(0x07) from 0x0101…0101 to 0x0000…2a2a, value 0`: one line, addresses shortened. */
export function describeTransaction(tx: TestTransaction): string {
  const args = tx.args.map((a) => (a.length === 0 ? '""' : `0x${hexOf(a)}`)).join(', ');
  const what =
    tx.kind === 'deploy'
      ? `deploy(${args})`
      : tx.kind === 'transfer'
        ? 'transfer'
        : `${tx.kind} ${tx.function}(${args})`;
  return `${what} from ${shortAddress(tx.from)}${tx.to ? ` to ${shortAddress(tx.to)}` : ''}${tx.value ? `, value ${tx.value}` : ''}`;
}
