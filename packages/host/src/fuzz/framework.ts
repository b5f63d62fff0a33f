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

/** The steps an event runs, whether the model predicts the transaction succeeds, and the bookkeeping for it. */
export interface EventPlan {
  readonly steps: readonly Step[];
  readonly ok: boolean;
  /** Called after every step passed. */
  readonly apply?: () => void;
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
  /** Recorded steps whose expectations are the property. */
  steps?(model: M, ctx: FuzzContext): readonly Step[];
  /** Differences of the model against the world (not part of the replay). */
  check?(model: M, world: ScenarioWorld): readonly string[];
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
}

/** One drawn event, as data. */
export interface EventInstance {
  readonly name: string;
  readonly params: unknown;
}

export interface FuzzFailure {
  /** `unexpected result of <event>`, `invariant <name> broken`, `runner error in <event>`. */
  readonly title: string;
  /** 1-based index of the event (0: the set-up). */
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
  const run = async (steps: readonly Step[], title: string, event: number): Promise<FuzzFailure | undefined> => {
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
      if (!result.passed) return { title, event, step: stepCount, differences: result.differences };
    }
    return undefined;
  };
  const invariants = async (index: number, last: boolean): Promise<FuzzFailure | undefined> => {
    for (const invariant of fuzzer.invariants) {
      if (!last && index % (invariant.every ?? 1) !== 0) continue;
      const title = `invariant ${invariant.name} broken`;
      const failure = await run(invariant.steps?.(model, options.ctx) ?? [], title, index);
      if (failure) return failure;
      const differences = invariant.check?.(model, executor.world) ?? [];
      if (differences.length > 0) return { title, event: index, step: stepCount, differences };
    }
    return undefined;
  };

  const setupFailure = await run(setup.steps, 'unexpected result of the set-up', 0);
  if (setupFailure) return done(setupFailure);
  for (let index = 1; ; index++) {
    const instance = next(model, index);
    if (!instance) return done(await invariants(index - 1, true));
    const event = fuzzer.events.find((e) => e.name === instance.name);
    if (!event) throw new ScenarioError(`${fuzzer.name}: no event named ${JSON.stringify(instance.name)}`);
    events.push(instance);
    const plan = event.plan(model, instance.params, options.ctx);
    const count = counts.get(event.name)!;
    count.ran++;
    const failure = await run(plan.steps, `unexpected result of ${event.name}`, index);
    if (failure) return done(failure);
    if (plan.ok) count.ok++;
    plan.apply?.();
    options.onEvent?.(index, stepCount);
    // The VM may finish every step without a macrotask; yielding now and then lets a SIGINT handler run.
    if (index % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    const broken = await invariants(index, false);
    if (broken) return done(broken);
  }
}
