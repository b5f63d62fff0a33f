/**
 * The generic fuzzing framework. A fuzzer is a set-up (steps and a fresh model), a weighted catalogue of events
 * (each draws its parameters from the model and the PRNG, and plans its steps, whose `expect` is what the model
 * predicts) and invariants (steps whose `expect` / checkState encodes the property, and checks of the model against
 * the world). Everything executed is recorded, so the replay file fails under `vm-scenario` exactly where the run
 * failed. An event is kept as data (name + parameters): replaying a subset of them from the set-up is what the
 * shrinker does.
 */
import path from 'node:path';
import { ScenarioExecutor, ScenarioRecorder, type StepResult } from '../scenario/executor';
import type { VMExecutionHandler, VMOutput } from '@vm/protocol';
import { MemoryWorld, type ScenarioWorld } from '../scenario/memoryWorld';
import type { Scenario, Step } from '../scenario/model';
import { parseScenarioStep } from '../scenario/parse';
import { ScenarioError } from '../scenario/valueExpression';
import type { Rng } from './rng';

/** What a fuzzer builds its steps with. */
export interface FuzzContext {
  /** A step from its JSON form (values as scenario expressions); `file:` paths relative to `outDir`. */
  step(json: object): Step;
  /** The `file:` expression of a file, as the replay (written to `outDir`) reads it. */
  file(absolutePath: string): string;
}

/**
 * The steps an event runs, whether the model predicts the transaction succeeds, and the bookkeeping for it. Where
 * the model cannot predict (a query's value, whether the contract accepts a call), `then` reacts to the outputs of
 * `steps` with the plan that follows (whose `ok` is then the event's): the steps it plans are recorded with the
 * values read, so the replay is plain data.
 */
export interface EventPlan {
  readonly steps: readonly Step[];
  readonly ok: boolean;
  /** Called after every step passed. */
  readonly apply?: () => void;
  /** Called after `apply`, with the VMOutput of each of `steps` (null for steps without one) and the world. */
  readonly then?: (outputs: readonly (VMOutput | null)[], world: ScenarioWorld) => EventPlan | undefined;
}

/** Plans run one after the other, each (with its reactions) to the end before the next is made. */
export function sequence(plans: readonly (() => EventPlan)[]): EventPlan {
  if (plans.length === 0) return { steps: [], ok: true };
  const [first, ...rest] = plans;
  const chain = (plan: EventPlan): EventPlan => ({
    ...plan,
    then: (outputs, world) => {
      const next = plan.then?.(outputs, world);
      return next ? chain(next) : rest.length > 0 ? sequence(rest) : undefined;
    },
  });
  return chain(first());
}

export interface FuzzEvent<M, P = unknown> {
  readonly name: string;
  /** Relative weight in the catalogue. */
  readonly weight: number;
  draw(model: M, rng: Rng): P;
  plan(model: M, params: P, ctx: FuzzContext): EventPlan;
}

export interface Invariant<M> {
  readonly name: string;
  /** `on-chain`: view calls; `off-chain`: the world against the model's counters. */
  readonly kind: 'on-chain' | 'off-chain';
  /** Checked after every `every` events (default 1) and after the last one. */
  readonly every?: number;
  /** Recorded steps whose expectations are the property (the world: e.g. for the fields a checkState must list). */
  steps?(model: M, ctx: FuzzContext, world: ScenarioWorld): readonly Step[];
  /** The same, reacting to outputs (e.g. a checkState of a balance against the sum of two queries). */
  plan?(model: M, ctx: FuzzContext): EventPlan;
  /** Differences of the model against the world (not part of the replay). */
  check?(model: M, world: ScenarioWorld): readonly string[];
}

/** A step of the teardown: run once, in order, after the events and their invariants; then its own invariants. */
export interface TeardownPhase<M> {
  readonly name: string;
  plan(model: M, ctx: FuzzContext): EventPlan;
  readonly invariants?: readonly Invariant<M>[];
}

export interface FuzzSetup<M> {
  readonly steps: readonly Step[];
  /** A fresh model of the state after the set-up steps. */
  model(): M;
}

export interface Fuzzer<M> {
  readonly name: string;
  readonly protectedKeyPrefix?: string;
  /** Draws the run's parameters from the PRNG (before any event). */
  setup(rng: Rng, ctx: FuzzContext): FuzzSetup<M>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly events: readonly FuzzEvent<M, any>[];
  readonly invariants: readonly Invariant<M>[];
  /** After the events (also when a shrunk subset is replayed). */
  readonly teardown?: readonly TeardownPhase<M>[];
  /** Why a run that held proved nothing (e.g. no reward was ever claimed), or undefined. */
  vacuous?(counts: ReadonlyMap<string, { ran: number; ok: number }>, model: M): string | undefined;
}

/** The title of a run that held but proved nothing (not shrunk: any subset is as vacuous). */
export const VACUOUS = 'vacuous run';

/** One drawn event, as data. */
export interface EventInstance {
  readonly name: string;
  readonly params: unknown;
}

export interface FuzzFailure {
  /**
   * `unexpected result of <event>`, `unexpected result of teardown <phase>`, `invariant <name> broken`,
   * `runner error in <event>`, `vacuous run`.
   */
  readonly title: string;
  /** 1-based index of the event (0: the set-up; events + 1: the teardown). */
  readonly event: number;
  /** 1-based index of the step in the replay file. */
  readonly step: number;
  readonly differences: readonly string[];
}

export interface PlayResult {
  readonly failure?: FuzzFailure;
  readonly events: readonly EventInstance[];
  readonly counts: ReadonlyMap<string, { ran: number; ok: number }>;
  readonly scenario: Scenario;
  readonly steps: number;
}

export interface PlayOptions {
  readonly seed: bigint;
  readonly ctx: FuzzContext;
  /** Called after each event that passed, with its index and the steps executed so far (e.g. for progress). */
  readonly onEvent?: (index: number, steps: number) => void;
  /** Records the executed steps (default: a new one); the caller can save it at any time, e.g. on Ctrl-C. */
  readonly recorder?: ScenarioRecorder;
  /** The VM on the run's world (default: an in-process VMHost). */
  readonly vm?: (world: MemoryWorld) => VMExecutionHandler;
  /** Receives each executed step's VMOutput (null for steps without one), e.g. to compare two VMs. */
  readonly onOutput?: (step: number, output: VMOutput | null) => void;
}

/** The context for a replay written to `outDir`. */
export function fuzzContext(outDir: string): FuzzContext {
  return {
    step: (json) => parseScenarioStep(json, { baseDir: outDir }),
    file: (absolutePath) => `file:${path.relative(outDir, absolutePath).split(path.sep).join('/')}`,
  };
}

export const fuzzRecorder = (fuzzer: string, seed: bigint) =>
  new ScenarioRecorder({ name: `vm-fuzz ${fuzzer} seed ${seed}`, checkGas: false });

/** Draws the next event: weighted choice, then its parameters. */
export function drawEvent<M>(fuzzer: Fuzzer<M>, model: M, rng: Rng): EventInstance {
  const total = fuzzer.events.reduce((sum, e) => sum + e.weight, 0);
  let r = rng.float() * total;
  const event = fuzzer.events.find((e) => (r -= e.weight) < 0) ?? fuzzer.events[fuzzer.events.length - 1];
  return { name: event.name, params: event.draw(model, rng) };
}

/**
 * Runs the set-up, then the events `next` gives (undefined: stop), checking the invariants; stops at the first
 * failure. Never throws for a failing run.
 */
export async function play<M>(
  fuzzer: Fuzzer<M>,
  setup: FuzzSetup<M>,
  next: (model: M, index: number) => EventInstance | undefined,
  options: PlayOptions,
): Promise<PlayResult> {
  const recorder = options.recorder ?? fuzzRecorder(fuzzer.name, options.seed);
  const world = new MemoryWorld();
  const executor = new ScenarioExecutor({
    world,
    vm: options.vm?.(world),
    recorder,
    protectedKeyPrefix: fuzzer.protectedKeyPrefix,
    checkGas: false,
  });
  const model = setup.model();
  const events: EventInstance[] = [];
  const counts = new Map(fuzzer.events.map((e) => [e.name, { ran: 0, ok: 0 }]));
  let stepCount = 0;
  const done = (failure?: FuzzFailure): PlayResult => ({
    failure,
    events,
    counts,
    scenario: recorder.scenario,
    steps: stepCount,
  });

  /** Executes steps; the failure, if one did not pass or the runner refused it. */
  const run = async (
    steps: readonly Step[],
    title: string,
    event: number,
    outputs: (VMOutput | null)[] = [],
  ): Promise<FuzzFailure | undefined> => {
    for (const step of steps) {
      stepCount++;
      let result: StepResult;
      try {
        result = await executor.executeStep(step);
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        return { title: `runner error in ${title}`, event, step: stepCount, differences: [error.message] };
      }
      options.onOutput?.(stepCount, result.vmOutput);
      outputs.push(result.vmOutput);
      if (!result.passed) return { title, event, step: stepCount, differences: result.differences };
    }
    return undefined;
  };
  /** Executes a plan and the plans it reacts with; whether the last one expected success. */
  const runPlan = async (
    first: EventPlan,
    title: string,
    event: number,
  ): Promise<{ failure?: FuzzFailure; ok: boolean }> => {
    for (let plan: EventPlan | undefined = first; ;) {
      const outputs: (VMOutput | null)[] = [];
      const failure = await run(plan.steps, title, event, outputs);
      if (failure) return { failure, ok: false };
      plan.apply?.();
      const next: EventPlan | undefined = plan.then?.(outputs, executor.world);
      if (!next) return { ok: plan.ok };
      plan = next;
    }
  };
  const check = async (invariant: Invariant<M>, index: number): Promise<FuzzFailure | undefined> => {
    const title = `invariant ${invariant.name} broken`;
    const failure =
      (await run(invariant.steps?.(model, options.ctx, executor.world) ?? [], title, index)) ??
      (invariant.plan ? (await runPlan(invariant.plan(model, options.ctx), title, index)).failure : undefined);
    if (failure) return failure;
    const differences = invariant.check?.(model, executor.world) ?? [];
    return differences.length > 0 ? { title, event: index, step: stepCount, differences } : undefined;
  };
  const invariants = async (index: number, last: boolean): Promise<FuzzFailure | undefined> => {
    for (const invariant of fuzzer.invariants) {
      if (!last && index % (invariant.every ?? 1) !== 0) continue;
      const failure = await check(invariant, index);
      if (failure) return failure;
    }
    return undefined;
  };
  /** The teardown phases and their invariants, then whether the run proved anything. */
  const end = async (index: number): Promise<FuzzFailure | undefined> => {
    for (const phase of fuzzer.teardown ?? []) {
      const { failure } = await runPlan(
        phase.plan(model, options.ctx),
        `unexpected result of teardown ${phase.name}`,
        index,
      );
      if (failure) return failure;
      for (const invariant of phase.invariants ?? []) {
        const broken = await check(invariant, index);
        if (broken) return broken;
      }
    }
    const vacuous = fuzzer.vacuous?.(counts, model);
    return vacuous ? { title: VACUOUS, event: index, step: stepCount, differences: [vacuous] } : undefined;
  };

  const setupFailure = await run(setup.steps, 'unexpected result of the set-up', 0);
  if (setupFailure) return done(setupFailure);
  for (let index = 1; ; index++) {
    const instance = next(model, index);
    if (!instance) return done((await invariants(index - 1, true)) ?? (await end(index)));
    const event = fuzzer.events.find((e) => e.name === instance.name);
    if (!event) throw new ScenarioError(`${fuzzer.name}: no event named ${JSON.stringify(instance.name)}`);
    events.push(instance);
    const plan = event.plan(model, instance.params, options.ctx);
    const count = counts.get(event.name)!;
    count.ran++;
    const { failure, ok } = await runPlan(plan, `unexpected result of ${event.name}`, index);
    if (failure) return done(failure);
    if (ok) count.ok++;
    options.onEvent?.(index, stepCount);
    // The VM may finish every step without a macrotask; yielding now and then lets a SIGINT handler run.
    if (index % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    const broken = await invariants(index, false);
    if (broken) return done(broken);
  }
}
