/**
 * `vm-fuzz erc20`: random transfers, approvals and transferFroms between N accounts on an ERC20 (the conformance
 * suite's erc20-c.wasm). The model predicts every result (success, "insufficient funds", "allowance exceeded");
 * the invariants are conservation of supply and the allowance rules, checked against the model and on chain.
 */
import { existsSync } from 'node:fs';
import type { Step } from '../scenario/model';
import { evalBytes, ScenarioError } from '../scenario/valueExpression';
import type { FuzzContext, FuzzEvent, Fuzzer, Invariant } from './framework';
import type { Rng } from './rng';

export interface Erc20FuzzerOptions {
  /** The contract (exports init, totalSupply, balanceOf, allowance, transferToken, approve, transferFrom). */
  readonly contract: string;
  /** Accounts holding and moving tokens (default 5). */
  readonly accounts?: number;
  /** On-chain checks after every this many events (default 20) and after the last. */
  readonly checkEvery?: number;
  /**
   * A planted bug, to show that the fuzzer finds and shrinks one: on the n-th successful transfer the model mints
   * one token to the recipient, as a contract with that bug would, so the chain and the model disagree.
   */
  readonly mintOnTransfer?: number;
}

interface Erc20Model {
  supply: bigint;
  balances: bigint[];
  /** `owner,spender` → amount. */
  allowances: Map<string, bigint>;
  transfers: number;
}

const SC = 'sc:erc20';
const account = (i: number) => `address:erc20_holder_${i}`;
const GAS = '1,000,000';
const HOLDER_EGLD = 1_000_000n;
const ok = { out: [], status: '0', logs: '*', gas: '*', refund: '*' };
const error = (message: string) => ({ out: [], status: '4', message, logs: '*', gas: '*', refund: '*' });

/** An amount as the contract reads it (a signed argument): hex, with a 00 byte in front when the top bit is set. */
const amountArg = (n: bigint) => {
  const digits = n.toString(16).padStart(2, '0');
  const even = digits.length % 2 === 0 ? digits : `0${digits}`;
  return `0x${parseInt(even[0], 16) >= 8 ? '00' : ''}${even}`;
};

/** A draw that reaches a little past `limit`, so both outcomes are frequent. */
const around = (rng: Rng, limit: bigint) => rng.below(limit + limit / 4n + 2n);

export function erc20Fuzzer(options: Erc20FuzzerOptions): Fuzzer<Erc20Model> {
  const count = options.accounts ?? 5;
  if (!existsSync(options.contract)) throw new ScenarioError(`erc20 fuzzer: contract ${options.contract} not found`);
  const bytesOf = (expression: string) => evalBytes(expression, { baseDir: '.', replacements: new Map() });
  const scAddress = bytesOf(SC);
  const holderAddresses = Array.from({ length: count }, (_, i) => bytesOf(account(i)));
  const allowance = (m: Erc20Model, owner: number, spender: number) => m.allowances.get(`${owner},${spender}`) ?? 0n;
  const call = (ctx: FuzzContext, from: number, fn: string, args: string[], expect: object): Step =>
    ctx.step({
      step: 'scCall',
      txId: fn,
      tx: { from: account(from), to: SC, value: '0', function: fn, arguments: args, gasLimit: GAS, gasPrice: '0' },
      expect,
    });
  const query = (ctx: FuzzContext, fn: string, args: string[], value: bigint): Step =>
    ctx.step({
      step: 'scQuery',
      txId: fn,
      tx: { to: SC, function: fn, arguments: args },
      expect: { ...ok, out: [`${value}`] },
    });

  type Transfer = { from: number; to: number; amount: bigint };
  type Approve = { owner: number; spender: number; amount: bigint };
  type TransferFrom = { caller: number; from: number; to: number; amount: bigint };

  const transfer: FuzzEvent<Erc20Model, Transfer> = {
    name: 'transfer',
    weight: 4,
    draw: (m, rng) => {
      const from = rng.int(count);
      return { from, to: rng.int(count), amount: around(rng, m.balances[from]) };
    },
    plan: (m, { from, to, amount }, ctx) => {
      const success = amount <= m.balances[from];
      return {
        ok: success,
        steps: [
          call(
            ctx,
            from,
            'transferToken',
            [account(to), amountArg(amount)],
            success ? ok : error('insufficient funds'),
          ),
        ],
        apply: () => {
          if (!success) return;
          m.balances[from] -= amount;
          m.balances[to] += amount;
          if (++m.transfers === options.mintOnTransfer) {
            m.balances[to] += 1n;
            m.supply += 1n;
          }
        },
      };
    },
  };
  const approve: FuzzEvent<Erc20Model, Approve> = {
    name: 'approve',
    weight: 2,
    draw: (m, rng) => ({
      owner: rng.int(count),
      spender: rng.int(count),
      amount: rng.below(m.supply / BigInt(count) + 1n),
    }),
    plan: (m, { owner, spender, amount }, ctx) => ({
      ok: true,
      steps: [call(ctx, owner, 'approve', [account(spender), amountArg(amount)], ok)],
      apply: () => m.allowances.set(`${owner},${spender}`, amount),
    }),
  };
  const transferFrom: FuzzEvent<Erc20Model, TransferFrom> = {
    name: 'transferFrom',
    weight: 3,
    draw: (m, rng) => {
      // Half the time an approved pair, so that transferFroms within the allowance are frequent.
      const approved = [...m.allowances].filter(([, amount]) => amount > 0n);
      const pair = approved.length > 0 && rng.int(2) === 0 ? approved[rng.int(approved.length)][0] : undefined;
      const [from, caller] = pair ? pair.split(',').map(Number) : [rng.int(count), rng.int(count)];
      const to = rng.int(count);
      const limit = allowance(m, from, caller) > m.balances[from] ? allowance(m, from, caller) : m.balances[from];
      return { caller, from, to, amount: around(rng, limit) };
    },
    plan: (m, { caller, from, to, amount }, ctx) => {
      // The contract checks the allowance first, then the balance.
      const failure =
        amount > allowance(m, from, caller)
          ? 'allowance exceeded'
          : amount > m.balances[from]
            ? 'insufficient funds'
            : undefined;
      return {
        ok: failure === undefined,
        steps: [
          call(
            ctx,
            caller,
            'transferFrom',
            [account(from), account(to), amountArg(amount)],
            failure ? error(failure) : ok,
          ),
        ],
        apply: () => {
          if (failure) return;
          m.allowances.set(`${from},${caller}`, allowance(m, from, caller) - amount);
          m.balances[from] -= amount;
          m.balances[to] += amount;
        },
      };
    },
  };

  const conservation: Invariant<Erc20Model> = {
    name: 'supply conservation',
    kind: 'off-chain',
    check: (m, world) => {
      const differences: string[] = [];
      const sum = m.balances.reduce((a, b) => a + b, 0n);
      if (sum !== m.supply) differences.push(`Σ balances ${sum} != supply ${m.supply}`);
      for (const [pair, amount] of m.allowances)
        if (amount < 0n) differences.push(`allowance ${pair} is negative: ${amount}`);
      // Nothing is paid in EGLD (value 0, gas price 0): every account keeps what the set-up gave it.
      const egld = (address: Uint8Array) => world.account(address)?.balance;
      if (egld(scAddress) !== 0n) differences.push(`contract EGLD balance ${egld(scAddress)} != 0`);
      holderAddresses.forEach((address, i) => {
        if (egld(address) !== HOLDER_EGLD)
          differences.push(`holder ${i} EGLD balance ${egld(address)} != ${HOLDER_EGLD}`);
      });
      return differences;
    },
  };
  const ledger: Invariant<Erc20Model> = {
    name: 'ledger',
    kind: 'on-chain',
    every: options.checkEvery ?? 20,
    steps: (m, ctx) => [
      query(ctx, 'totalSupply', [], m.supply),
      ...m.balances.map((b, i) => query(ctx, 'balanceOf', [account(i)], b)),
      ...[...m.allowances].map(([pair, amount]) => {
        const [owner, spender] = pair.split(',').map(Number);
        return query(ctx, 'allowance', [account(owner), account(spender)], amount);
      }),
    ],
  };

  return {
    name: 'erc20',
    setup: (rng, ctx) => {
      const supply = rng.below(10n ** 30n) + 1n;
      const holders = Object.fromEntries(
        Array.from({ length: count }, (_, i) => [
          account(i),
          { nonce: '0', balance: `${HOLDER_EGLD}`, storage: {}, code: '' },
        ]),
      );
      const steps = [
        ctx.step({
          step: 'setState',
          accounts: holders,
          newAddresses: [{ creatorAddress: account(0), creatorNonce: '0', newAddress: SC }],
        }),
        ctx.step({
          step: 'scDeploy',
          txId: 'deploy',
          tx: {
            from: account(0),
            value: '0',
            contractCode: ctx.file(options.contract),
            arguments: [amountArg(supply)],
            gasLimit: GAS,
            gasPrice: '0',
          },
          expect: ok,
        }),
      ];
      return {
        steps,
        model: () => ({
          supply,
          balances: Array.from({ length: count }, (_, i) => (i === 0 ? supply : 0n)),
          allowances: new Map(),
          transfers: 0,
        }),
      };
    },
    events: [transfer, approve, transferFrom],
    invariants: [conservation, ledger],
  };
}
