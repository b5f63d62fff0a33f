/**
 * `--processes`: the same seed run in process and through `@vm/driver`'s VMDriver (an `arwen` child process) with
 * each messages marshalizer. The lanes must give byte-identical replays and the same VMOutput at every step; the
 * first diverging step is reported.
 */
import { MarshalizerKind, type VMExecutionHandler, type VMOutput } from '@vm/protocol';
import { referenceTestGasSchedule } from '../scenario/executor';
import type { MemoryWorld } from '../scenario/memoryWorld';
import { ScenarioError } from '../scenario/valueExpression';
import { readFileSync } from 'node:fs';
import type { Fuzzer } from './framework';
import { fuzzRun, replayFileName, type FuzzRunOptions, type FuzzRunReport } from './run';

export const LANES: readonly { readonly name: string; readonly marshalizer?: MarshalizerKind }[] = [
  { name: 'in process' },
  { name: 'VMDriver JSON', marshalizer: MarshalizerKind.JSON },
  { name: 'VMDriver Binary', marshalizer: MarshalizerKind.Binary },
];

export interface Divergence {
  readonly lane: string;
  /** 1-based step of the replay. */
  readonly step: number;
  readonly differences: readonly string[];
}

export interface DifferentialReport {
  readonly lanes: readonly { readonly lane: string; readonly report: FuzzRunReport }[];
  readonly divergence?: Divergence;
}

interface DriverModule {
  VMDriver: new (options: {
    blockchainHook: MemoryWorld;
    gasSchedule: ReturnType<typeof referenceTestGasSchedule>;
    blockGasLimit: bigint;
    protectedKeyPrefix?: Uint8Array;
    messagesMarshalizer?: MarshalizerKind;
  }) => VMExecutionHandler & { close(): Promise<void> };
}

/** @vm/driver is loaded only here, on demand: it depends on this package, never the reverse. */
function loadDriver(): DriverModule {
  try {
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, loaded on demand, see above */
    return require('@vm/driver') as DriverModule;
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' ||
      !(error as Error).message.includes("'@vm/driver'")
    )
      throw error;
    throw new ScenarioError('vm-fuzz --processes runs the VM through @vm/driver: npm install @vm/driver');
  }
}

/**
 * A VMOutput as comparable data: keys sorted, bytes in hex, bigints in decimal, output accounts sorted by address
 * and their storage updates by key (the reference's VMOutput holds both in maps, so their order carries no meaning).
 */
export function canonicalOutput(output: VMOutput | null): unknown {
  const canon = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
    if (typeof v === 'bigint') return `${v}n`;
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
      );
    return v ?? null;
  };
  const bytes = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []);
  const accounts = [...(output?.OutputAccounts ?? [])]
    .sort((a, b) => Buffer.compare(bytes(a.Address), bytes(b.Address)))
    .map((a) => ({
      ...a,
      StorageUpdates: [...(a.StorageUpdates ?? [])].sort((x, y) => Buffer.compare(bytes(x.Offset), bytes(y.Offset))),
    }));
  return output ? canon({ ...output, OutputAccounts: accounts }) : null;
}

/** Where two canonical values first differ: the path and both values (shortened). */
export function firstDifference(a: unknown, b: unknown, where = '$'): string | undefined {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const difference = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        Array.isArray(a) ? `${where}[${key}]` : `${where}.${key}`,
      );
      if (difference) return difference;
    }
    return undefined;
  }
  if (a === b) return undefined;
  const show = (v: unknown) => {
    const text = JSON.stringify(v) ?? 'absent';
    return text.length > 120 ? `${text.slice(0, 120)}…` : text;
  };
  return `${where}: ${show(a)} vs ${show(b)}`;
}

/** The first line where two texts differ (1-based), or 0. */
const firstDifferentLine = (a: string, b: string) => {
  const [x, y] = [a.split('\n'), b.split('\n')];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1;
  return 0;
};

export async function fuzzDifferential<M>(fuzzer: Fuzzer<M>, options: FuzzRunOptions): Promise<DifferentialReport> {
  const driver = loadDriver();
  const lanes: { lane: string; report: FuzzRunReport; outputs: unknown[]; replay: string }[] = [];
  for (const [index, lane] of LANES.entries()) {
    const outputs: unknown[] = [];
    const drivers: { close(): Promise<void> }[] = [];
    const vm =
      lane.marshalizer === undefined
        ? undefined
        : (world: MemoryWorld) => {
            const d = new driver.VMDriver({
              blockchainHook: world,
              gasSchedule: referenceTestGasSchedule(),
              blockGasLimit: 10_000_000n,
              protectedKeyPrefix: fuzzer.protectedKeyPrefix ? Buffer.from(fuzzer.protectedKeyPrefix) : undefined,
              messagesMarshalizer: lane.marshalizer,
            });
            drivers.push(d);
            return d;
          };
    let report: FuzzRunReport;
    try {
      report = await fuzzRun(fuzzer, {
        ...options,
        // the other lanes' replays go next to the first's (the same `file:` paths), to be compared with it
        replayName:
          index === 0
            ? options.replayName
            : replayFileName(fuzzer.name, options.seed).replace(
                /\.scen\.json$/,
                `.${lane.name.replace(/\W+/g, '-')}.scen.json`,
              ),
        shrink: index === 0 ? options.shrink : false,
        vm,
        onOutput: (step, output) => (outputs[step - 1] = canonicalOutput(output)),
      });
    } finally {
      await Promise.all(drivers.map((d) => d.close()));
    }
    lanes.push({ lane: lane.name, report, outputs, replay: readFileSync(report.replayFile, 'utf8') });
  }
  const [first, ...others] = lanes;
  const reports = lanes.map(({ lane, report }) => ({ lane, report }));
  for (const other of others) {
    const steps = Math.max(first.outputs.length, other.outputs.length);
    for (let i = 0; i < steps; i++) {
      const difference = firstDifference(first.outputs[i], other.outputs[i], 'VMOutput');
      if (difference)
        return {
          lanes: reports,
          divergence: {
            lane: other.lane,
            step: i + 1,
            differences: [`${difference} (${first.lane} vs ${other.lane})`],
          },
        };
    }
    const line = firstDifferentLine(first.replay, other.replay);
    if (line > 0)
      return {
        lanes: reports,
        divergence: {
          lane: other.lane,
          step: Math.min(first.report.steps, other.report.steps),
          differences: [`the replays differ from line ${line}`],
        },
      };
  }
  return { lanes: reports };
}
