/**
 * `vm-fuzz delegation`: the reference's delegation fuzzer (`fuzz/delegation`) on this framework. The same world,
 * parameters, events and probabilities (a weight per event, 30 for doing nothing) and end checks, on the
 * conformance suite's delegation_v0.3 `delegation.wasm` + `auction-mock.wasm`, with the `ELROND` protected prefix
 * that contract reads its rewards under. The contract's results are not modelled: the events whose outcome the
 * reference tolerates react to it (a successful withdrawal is forwarded, a failed purchase refunded), and the
 * invariants read the contract's own totals and compare them with the world and the model's counters.
 */
import { existsSync } from 'node:fs';
import { ReturnCode, type VMOutput } from '@vm/protocol';
import type { ScenarioWorld } from '../scenario/memoryWorld';
import type { Step } from '../scenario/model';
import { evalBytes, ScenarioError } from '../scenario/valueExpression';
import { sequence, type EventPlan, type FuzzContext, type FuzzEvent, type Fuzzer, type Invariant } from './framework';

export interface DelegationFuzzerOptions {
  /** delegation_v0.3 `delegation.wasm`. */
  readonly contract: string;
  /** Its `auction-mock.wasm`. */
  readonly auction: string;
  /** Delegators besides the owner (default 10, as the reference). */
  readonly delegators?: number;
  /** The contract-balance check after every this many events (default 100) and after the last. */
  readonly checkEvery?: number;
  /** Default `ELROND`: the shipped delegation.wasm reads `ELRONDreward`. */
  readonly protectedKeyPrefix?: string;
}

interface DelegationModel {
  readonly blocksBeforeForceUnstake: bigint;
  readonly blocksBeforeUnbond: bigint;
  blockNonce: bigint;
  numNodes: number;
  totalStakeAdded: bigint;
  totalStakeWithdrawn: bigint;
  totalRewards: bigint;
}

// The reference's 32-byte addresses.
const OWNER = "''fuzz_owner_addr_______________s1";
const DELEGATION = "''fuzz_sc_delegation_addr_______s1";
const AUCTION = "''fuzz_sc_auction_mock_addr_____s1";
const FAUCET = "''endless_sack_of_moa___________s1";
const WITHDRAW_TARGET = "''withdraw_target_______________s1";
const PURCHASE_FORWARD = "''stake_purchase_forwarded______s1";
const delegator = (i: number) => (i === 0 ? OWNER : `''delegator ${String(i).padStart(5)}               s1`);
const blsKey = (i: number) => `''bls key ${String(i).padStart(5)} ${'.'.repeat(82)}`;
const blsSignature = (i: number) => `''bls key signature ${String(i).padStart(5)} ........`;

const STAKE_PER_NODE = 1_000_000_000n;
const MAX_STAKE = 2n * STAKE_PER_NODE;
const MAX_SYSTEM_REWARD = 1_000_000_000n;

const OK = { out: [], status: '0', logs: '*', gas: '*', refund: '*' };
const ONE_RESULT = { out: ['*'], status: '0', logs: '*', gas: '*', refund: '*' };

const succeeded = (output: VMOutput | null) => output?.ReturnCode === ReturnCode.Ok;
const result = (output: VMOutput | null) => {
  const data = output?.ReturnData?.[0];
  return data && data.length > 0 ? BigInt(`0x${Buffer.from(data).toString('hex')}`) : 0n;
};

export function delegationFuzzer(options: DelegationFuzzerOptions): Fuzzer<DelegationModel> {
  for (const file of [options.contract, options.auction])
    if (!existsSync(file)) throw new ScenarioError(`delegation fuzzer: contract ${file} not found`);
  const count = options.delegators ?? 10;
  const delegators = Array.from({ length: count + 1 }, (_, i) => i);
  const anyDelegator = (rng: { int(n: number): number }) => rng.int(count + 1);
  const bytesOf = (expression: string) => evalBytes(expression, { baseDir: '.', replacements: new Map() });
  const delegatorAddresses = delegators.map((d) => bytesOf(delegator(d)));
  // The run's context, from its set-up on (every plan of a run is made after it, with the same one).
  let ctx: FuzzContext;

  // Step templates, as the reference writes them (gas limits included).
  const transfer = (from: string, to: string, value: bigint): Step =>
    ctx.step({ step: 'transfer', tx: { from, to, value: `${value}` } });
  const call = (from: string, fn: string, args: string[], o: { value?: bigint; gas?: string; expect?: object } = {}) =>
    ctx.step({
      step: 'scCall',
      txId: fn,
      tx: {
        from,
        to: DELEGATION,
        value: `${o.value ?? 0n}`,
        function: fn,
        arguments: args,
        gasLimit: o.gas ?? '100,000,000',
        gasPrice: '0',
      },
      ...(o.expect ? { expect: o.expect } : {}),
    });
  const query = (fn: string, args: string[] = []) => call(OWNER, fn, args, { gas: '10,000,000', expect: ONE_RESULT });
  const setNonce = (m: DelegationModel, delta: bigint): EventPlan => ({
    ok: true,
    steps: [ctx.step({ step: 'setState', currentBlockInfo: { blockNonce: `${m.blockNonce + delta}` } })],
    apply: () => (m.blockNonce += delta),
  });
  /** Whether the contract accepted the one step of a plan, as the event's outcome. */
  const outcome = (steps: Step[]): EventPlan => ({
    ok: false,
    steps,
    then: ([output]) => ({ steps: [], ok: succeeded(output) }),
  });
  const withdraw = (m: DelegationModel, d: number, amount: bigint): EventPlan => ({
    ok: false,
    steps: [call(delegator(d), 'withdrawInactiveStake', [`${amount}`], { gas: '1,000,000' })],
    // withdrawn stake leaves for an account of its own, so the delegators' balances hold only rewards
    then: ([output]) =>
      succeeded(output)
        ? {
            ok: true,
            steps: [transfer(delegator(d), WITHDRAW_TARGET, amount)],
            apply: () => (m.totalStakeWithdrawn += amount),
          }
        : { ok: false, steps: [] },
  });
  const claim = (d: number): EventPlan => ({
    ok: false,
    steps: [call(delegator(d), 'getClaimableRewards', [delegator(d)], { expect: ONE_RESULT })],
    then: ([output]) =>
      result(output) > 0n
        ? {
            ok: true,
            steps: [
              call(delegator(d), 'claimRewards', [], { expect: OK }),
              call(delegator(d), 'getClaimableRewards', [delegator(d)], { expect: { ...ONE_RESULT, out: ['0'] } }),
            ],
          }
        : { ok: false, steps: [] },
  });
  const computeAll = () => call(OWNER, 'computeAllRewards', [], { gas: '1,000,000,000', expect: OK });
  /** Reads a delegator's amount with a query, then acts on it. */
  const withQueried = (fn: string, d: number, act: (amount: bigint) => EventPlan) => (): EventPlan => ({
    ok: true,
    steps: [query(fn, [delegator(d)])],
    then: ([output]) => act(result(output)),
  });

  /** contract balance = inactive stake + unclaimed rewards, as a checkState of the sum the contract reports. */
  const contractBalance = (): EventPlan => ({
    ok: true,
    steps: [computeAll(), query('getTotalInactiveStake'), query('getTotalUnclaimedRewards')],
    then: ([, inactive, unclaimed], world) => ({
      ok: true,
      steps: [checkBalance(world, DELEGATION, result(inactive) + result(unclaimed))],
    }),
  });
  /** A checkState of one account's balance (a checkState must also list asyncCallData, which has no `*`). */
  const checkBalance = (world: ScenarioWorld, address: string, balance: bigint) =>
    ctx.step({
      step: 'checkState',
      accounts: {
        [address]: {
          nonce: '*',
          balance: `${balance}`,
          storage: '*',
          code: '*',
          asyncCallData: world.account(bytesOf(address))?.asyncCallData ?? '',
        },
        '+': '',
      },
    });
  const balanceInvariant: Invariant<DelegationModel> = {
    name: 'contract balance = inactive stake + unclaimed rewards',
    kind: 'on-chain',
    every: options.checkEvery ?? 100,
    plan: () => contractBalance(),
  };

  type Who = { d: number };
  type Amount = { d: number; amount: bigint };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each event has its own parameters
  const events: FuzzEvent<DelegationModel, any>[] = [
    {
      name: 'blockNonce',
      weight: 5,
      draw: (_m, rng) => ({ delta: rng.below(1000n) }),
      plan: (m, { delta }: { delta: bigint }) => setNonce(m, delta),
    },
    {
      name: 'addNodes',
      weight: 5,
      draw: (_m, rng) => ({ nodes: rng.int(3) }),
      plan: (m, { nodes }: { nodes: number }) => ({
        ok: true,
        steps: [
          call(
            OWNER,
            'addNodes',
            Array.from({ length: nodes }, (_, i) => [blsKey(m.numNodes + i), blsSignature(m.numNodes + i)]).flat(),
            { gas: '1,000,000,000', expect: OK },
          ),
        ],
        apply: () => (m.numNodes += nodes),
      }),
    },
    {
      name: 'stake',
      weight: 5,
      draw: (_m, rng) => ({ d: anyDelegator(rng), amount: rng.below(MAX_STAKE) }),
      plan: (m, { d, amount }: Amount) => ({
        ok: true,
        steps: [transfer(FAUCET, delegator(d), amount), call(delegator(d), 'stake', [], { value: amount, expect: OK })],
        apply: () => (m.totalStakeAdded += amount),
      }),
    },
    {
      name: 'withdrawInactiveStake',
      weight: 5,
      draw: (_m, rng) => ({ d: anyDelegator(rng), amount: rng.below(MAX_STAKE) }),
      plan: (m, { d, amount }: Amount) => withdraw(m, d, amount),
    },
    {
      name: 'addRewards',
      weight: 5,
      draw: (_m, rng) => ({ amount: rng.below(MAX_SYSTEM_REWARD) }),
      plan: (m, { amount }: { amount: bigint }) => ({
        ok: true,
        steps: [ctx.step({ step: 'validatorReward', tx: { to: DELEGATION, value: `${amount}` } })],
        apply: () => (m.totalRewards += amount),
      }),
    },
    {
      name: 'claimRewards',
      weight: 20,
      draw: (_m, rng) => ({ d: anyDelegator(rng) }),
      plan: (_m, { d }: Who) => claim(d),
    },
    {
      name: 'computeAllRewards',
      weight: 5,
      draw: () => ({}),
      plan: () => ({ ok: true, steps: [computeAll()] }),
    },
    {
      name: 'announceUnStake',
      weight: 5,
      draw: (_m, rng) => ({ d: anyDelegator(rng), amount: rng.below(MAX_STAKE) }),
      plan: (_m, { d, amount }: Amount) =>
        outcome([call(delegator(d), 'announceUnStake', [`${amount}`], { gas: '1,000,000' })]),
    },
    {
      name: 'purchaseStake',
      weight: 5,
      draw: (_m, rng) => ({ seller: anyDelegator(rng), buyer: anyDelegator(rng), amount: rng.below(MAX_STAKE) }),
      plan: (_m, { seller, buyer, amount }: { seller: number; buyer: number; amount: bigint }) => ({
        ok: false,
        steps: [
          transfer(FAUCET, delegator(buyer), amount),
          call(delegator(buyer), 'purchaseStake', [delegator(seller)], { value: amount, gas: '1,000,000' }),
        ],
        // the seller forwards what it was paid; a failed purchase is refunded to the faucet
        then: ([, output]) =>
          succeeded(output)
            ? { ok: true, steps: [transfer(delegator(seller), PURCHASE_FORWARD, amount)] }
            : { ok: false, steps: [transfer(delegator(buyer), FAUCET, amount)] },
      }),
    },
    {
      name: 'unStake',
      weight: 5,
      draw: (_m, rng) => ({ d: anyDelegator(rng) }),
      plan: (_m, { d }: Who) => outcome([call(delegator(d), 'unStake', [])]),
    },
    {
      name: 'unBondAllAvailable',
      weight: 5,
      draw: () => ({}),
      plan: () => outcome([call(OWNER, 'unBondAllAvailable', [])]),
    },
    // the reference's remaining probability: a step where nothing happens
    { name: 'idle', weight: 30, draw: () => ({}), plan: () => ({ ok: true, steps: [] }) },
  ];

  const withdrawAll = (m: DelegationModel) =>
    sequence(delegators.map((d) => withQueried('getUserInactiveStake', d, (amount) => withdraw(m, d, amount))));

  const teardown: Fuzzer<DelegationModel>['teardown'] = [
    { name: 'everyone withdraws their inactive stake', plan: (m) => withdrawAll(m) },
    {
      name: 'everyone claims',
      plan: () =>
        sequence([
          () => ({ ok: true, steps: [computeAll()] }),
          ...delegators.flatMap((d) => [() => claim(d), contractBalance]),
        ]),
      invariants: [
        {
          name: 'Σ delegator rewards = Σ rewards added',
          kind: 'off-chain',
          check: (m, world) => {
            const sum = delegatorAddresses
              .map((address) => world.account(address)?.balance ?? 0n)
              .reduce((a, b) => a + b, 0n);
            return sum === m.totalRewards ? [] : [`Σ delegator balances ${sum} != Σ rewards added ${m.totalRewards}`];
          },
        },
      ],
    },
    {
      name: 'everyone unstakes and the nodes unbond',
      plan: (m) =>
        sequence([
          ...delegators.map((d) =>
            withQueried('getUserActiveStake', d, (amount) =>
              outcome([call(delegator(d), 'announceUnStake', [`${amount}`], { gas: '1,000,000' })]),
            ),
          ),
          () => setNonce(m, m.blocksBeforeForceUnstake + 1n),
          ...delegators.map((d) => () => outcome([call(delegator(d), 'unStake', [])])),
          () => setNonce(m, m.blocksBeforeUnbond + 1n),
          () => outcome([call(OWNER, 'unBondAllAvailable', [])]),
        ]),
      invariants: [
        {
          name: 'the auction holds nothing after the unbond',
          kind: 'off-chain',
          steps: (_m, _ctx, world) => [checkBalance(world, AUCTION, 0n)],
        },
      ],
    },
    {
      name: 'everyone withdraws again',
      plan: (m) => withdrawAll(m),
      invariants: [
        {
          name: 'Σ withdrawn = Σ stake added',
          kind: 'off-chain',
          steps: (m, _ctx, world) => [checkBalance(world, WITHDRAW_TARGET, m.totalStakeAdded)],
          check: (m) =>
            m.totalStakeWithdrawn === m.totalStakeAdded
              ? []
              : [`Σ withdrawn ${m.totalStakeWithdrawn} != Σ stake added ${m.totalStakeAdded}`],
        },
      ],
    },
  ];

  return {
    name: 'delegation',
    protectedKeyPrefix: options.protectedKeyPrefix ?? 'ELROND',
    setup: (rng, context) => {
      ctx = context;
      const serviceFee = rng.int(10000);
      const blocksBeforeForceUnstake = rng.below(1000n);
      const blocksBeforeUnbond = rng.below(1000n);
      const startNonce = rng.below(10000n);
      const account = (balance: string, extra: object = {}) => ({
        nonce: '0',
        balance,
        storage: {},
        code: '',
        ...extra,
      });
      const steps = [
        ctx.step({
          step: 'setState',
          accounts: {
            [OWNER]: account('0'),
            [AUCTION]: account('0', {
              storage: { "''stake_per_node": `${STAKE_PER_NODE}` },
              code: ctx.file(options.auction),
            }),
            [FAUCET]: account('1,000,000,000,000,000,000,000,000,000,000'),
            [WITHDRAW_TARGET]: account('0'),
            [PURCHASE_FORWARD]: account('0'),
            ...Object.fromEntries(delegators.slice(1).map((d) => [delegator(d), account('0')])),
          },
          newAddresses: [{ creatorAddress: OWNER, creatorNonce: '0', newAddress: DELEGATION }],
        }),
        ctx.step({
          step: 'scDeploy',
          txId: 'deploy',
          tx: {
            from: OWNER,
            value: '0',
            contractCode: ctx.file(options.contract),
            arguments: [AUCTION, `${serviceFee}`, `${blocksBeforeForceUnstake}`, `${blocksBeforeUnbond}`],
            gasLimit: '100,000',
            gasPrice: '0',
          },
          expect: OK,
        }),
        call(OWNER, 'setStakePerNode', [`${STAKE_PER_NODE}`], { gas: '100,000', expect: OK }),
        call(OWNER, 'enableAutoActivation', [], { gas: '100,000', expect: OK }),
        ctx.step({ step: 'setState', currentBlockInfo: { blockNonce: `${startNonce}` } }),
      ];
      return {
        steps,
        model: () => ({
          blocksBeforeForceUnstake,
          blocksBeforeUnbond,
          blockNonce: startNonce,
          numNodes: 0,
          totalStakeAdded: 0n,
          totalStakeWithdrawn: 0n,
          totalRewards: 0n,
        }),
      };
    },
    events,
    invariants: [balanceInvariant],
    teardown,
    vacuous: (counts) =>
      (counts.get('claimRewards')?.ok ?? 0) === 0 ? 'no reward was ever claimed successfully' : undefined,
  };
}
