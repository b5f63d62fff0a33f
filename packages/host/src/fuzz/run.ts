/**
 * One fuzzing run: the set-up and events drawn from one seed, the replay written (atomically) whatever the
 * outcome, and on failure the events shrunk and the shrunk replay written next to it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../atomicFile';
import { writeScenario } from '../scenario/write';
import {
  drawEvent,
  fuzzContext,
  fuzzRecorder,
  play,
  type EventInstance,
  type FuzzFailure,
  type Fuzzer,
  type PlayOptions,
  type PlayResult,
  VACUOUS,
} from './framework';
import { Rng } from './rng';
import { ddmin } from './shrink';

export interface FuzzRunOptions {
  readonly seed: bigint;
  /** Events to draw. */
  readonly steps: number;
  /** Where the replays go (created if missing). */
  readonly outDir: string;
  /** The replay's file name in `outDir` (default `<fuzzer>-seed<N>.scen.json`). */
  readonly replayName?: string;
  /** Shrink a failure (default true). */
  readonly shrink?: boolean;
  /** On SIGINT, write the replay so far and exit 130 (the CLI). */
  readonly saveOnInterrupt?: boolean;
  /** The VM on the run's world (default: an in-process VMHost). */
  readonly vm?: PlayOptions['vm'];
  /** Receives each executed step's VMOutput. */
  readonly onOutput?: PlayOptions['onOutput'];
  /** Called after each event that passed. */
  readonly onEvent?: (index: number, steps: number) => void;
}

export interface FuzzRunReport {
  readonly fuzzer: string;
  readonly seed: bigint;
  readonly held: boolean;
  readonly failure?: FuzzFailure;
  readonly events: readonly EventInstance[];
  readonly counts: ReadonlyMap<string, { ran: number; ok: number }>;
  /** Scenario steps executed (set-up, events and invariant checks). */
  readonly steps: number;
  readonly replayFile: string;
  readonly shrunk?: { readonly events: readonly EventInstance[]; readonly failure: FuzzFailure; readonly file: string };
  /** Of the run itself, without shrinking. */
  readonly durationMs: number;
}

/** Writes a file atomically: a temporary file in the same directory, then a rename. */
export function writeAtomic(file: string, text: string): void {
  writeFileAtomicSync(file, text);
}

export const replayFileName = (fuzzer: string, seed: bigint) => `${fuzzer}-seed${seed}.scen.json`;

/** `--seed` style text → bigint; a clear error otherwise. */
export function parseSeed(text: string): bigint {
  if (!/^\d+$/.test(text) || BigInt(text) >= 1n << 64n)
    throw new RangeError(`seed ${JSON.stringify(text)} is not an integer in [0, 2^64)`);
  return BigInt(text);
}

export async function fuzzRun<M>(fuzzer: Fuzzer<M>, options: FuzzRunOptions): Promise<FuzzRunReport> {
  const started = performance.now();
  mkdirSync(options.outDir, { recursive: true });
  const ctx = fuzzContext(options.outDir);
  const rng = new Rng(options.seed);
  const setup = fuzzer.setup(rng, ctx);
  const replayFile = path.join(options.outDir, options.replayName ?? replayFileName(fuzzer.name, options.seed));
  const save = (result: PlayResult, file: string) => writeAtomic(file, writeScenario(result.scenario));

  // Ctrl-C: the steps so far are saved before exiting.
  const recorder = fuzzRecorder(fuzzer.name, options.seed);
  const interrupted = () => {
    writeAtomic(replayFile, writeScenario(recorder.scenario));
    process.stderr.write(`interrupted; replay so far: ${replayFile}\n`);
    process.exit(130);
  };
  if (options.saveOnInterrupt) process.once('SIGINT', interrupted);
  let result: PlayResult;
  try {
    result = await play(
      fuzzer,
      setup,
      (model, index) => (index <= options.steps ? drawEvent(fuzzer, model, rng) : undefined),
      { seed: options.seed, ctx, onEvent: options.onEvent, recorder, vm: options.vm, onOutput: options.onOutput },
    );
  } finally {
    process.removeListener('SIGINT', interrupted);
  }
  save(result, replayFile);
  const durationMs = performance.now() - started;
  const report = {
    fuzzer: fuzzer.name,
    seed: options.seed,
    held: result.failure === undefined,
    failure: result.failure,
    events: result.events,
    counts: result.counts,
    steps: result.steps,
    replayFile,
    durationMs,
  };
  if (!result.failure || result.failure.title === VACUOUS || options.shrink === false)
    return { ...report, durationMs: performance.now() - started };

  // Shrinking: the same kind of failure, replaying a subset of the events from the set-up.
  const title = result.failure.title;
  const replay = (events: readonly EventInstance[]) =>
    play(fuzzer, setup, (_model, index) => events[index - 1], { seed: options.seed, ctx });
  const fails = async (candidate: readonly EventInstance[]) => (await replay(candidate)).failure?.title === title;
  // First whole kinds of events (cheap, and often most of the sequence), then delta debugging of what is left.
  let kept: readonly EventInstance[] = result.events;
  for (const { name } of fuzzer.events) {
    const without = kept.filter((e) => e.name !== name);
    if (without.length < kept.length && (await fails(without))) kept = without;
  }
  const events = await ddmin(kept, fails);
  const shrunk = await replay(events);
  const file = replayFile.replace(/\.scen\.json$/, '.shrunk.scen.json');
  save(shrunk, file);
  return { ...report, shrunk: { events, failure: shrunk.failure!, file } };
}
