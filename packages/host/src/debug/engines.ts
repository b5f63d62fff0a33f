/**
 * One VM per world, kept across requests: an in-process VMHost (its module cache reused, so a contract is compiled
 * once per world, not once per request) or, with `processes`, a VMDriver with its `arwen` child, as a node runs
 * it. The world is read from its file for every request (another process may have changed it); the VM's hook
 * forwards to the world of the request in progress, which the facade's per-world lock keeps to one at a time.
 */
import type { BlockchainHook, VMExecutionHandler, VMOutput } from '@vm/protocol';
import { referenceTestGasSchedule } from '../scenario/runScenario';
import { VMHost } from '../vmHost';
import { DebugWorld } from './debugWorld';

/** The reference's host parameters (arwendebug/world.go). */
const VM_TYPE = Uint8Array.of(5, 0);
const BLOCK_GAS_LIMIT = 10_000_000n;

/** What the hook sees between requests (nothing). */
const IDLE = new DebugWorld('');

type Handler = VMExecutionHandler & { close?(): Promise<void> };

interface Engine {
  /** The world the hook forwards to: the request's, or an empty one between requests. */
  world: DebugWorld;
  readonly vm: Handler;
}

interface DriverModule {
  VMDriver: new (options: {
    blockchainHook: BlockchainHook;
    gasSchedule: ReturnType<typeof referenceTestGasSchedule>;
    blockGasLimit: bigint;
    vmType: Uint8Array;
  }) => Handler;
}

export class WorldEngines {
  private readonly engines = new Map<string, Engine>();

  /** `reuse: false` builds a new VM for every request, as the reference does (kept to measure the difference). */
  constructor(
    private readonly processes: boolean,
    private readonly reuse = true,
  ) {}

  /** Runs `work` on the world's VM with `world` as its blockchain; a VM failure (a throw) is returned as `error`. */
  async run(
    key: string,
    world: DebugWorld,
    work: (vm: VMExecutionHandler) => VMOutput | Promise<VMOutput>,
  ): Promise<{ output: VMOutput | null; error: Error | null }> {
    const engine = this.reuse ? (this.engines.get(key) ?? this.create(key)) : this.build();
    engine.world = world;
    try {
      return { output: await work(engine.vm), error: null };
    } catch (error) {
      return { output: null, error: error as Error };
    } finally {
      engine.world = IDLE;
      if (!this.reuse) await engine.vm.close?.();
    }
  }

  /** Stops every VM (the `arwen` children). */
  async close(): Promise<void> {
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(engines.map((e) => e.vm.close?.()));
  }

  private create(key: string): Engine {
    const engine = this.build();
    this.engines.set(key, engine);
    return engine;
  }

  private build(): Engine {
    const slot: { world: DebugWorld } = { world: IDLE };
    const options = {
      blockchainHook: forwardingHook(() => slot.world),
      gasSchedule: referenceTestGasSchedule(),
      blockGasLimit: BLOCK_GAS_LIMIT,
      vmType: VM_TYPE,
    };
    const vm: Handler = this.processes ? new (loadDriver().VMDriver)(options) : new VMHost(options);
    return Object.assign(slot, { vm });
  }
}

/** A BlockchainHook whose every method is the current world's. */
function forwardingHook(current: () => DebugWorld): BlockchainHook {
  return new Proxy({} as BlockchainHook, {
    get(_target, name) {
      const world = current();
      const member = (world as unknown as Record<string | symbol, unknown>)[name];
      return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(world) : member;
    },
  });
}

/** @vm/driver is loaded only with `processes`: it depends on this package (by the path of `arwen`), never the reverse. */
function loadDriver(): DriverModule {
  try {
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, loaded on demand, see above */
    return require('@vm/driver') as DriverModule;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    if (!missing || !(error as Error).message.includes("'@vm/driver'")) throw error;
    throw new Error('vm-debug --processes runs the VM through @vm/driver: npm install @vm/driver', { cause: error });
  }
}
