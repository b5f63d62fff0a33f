import path from 'node:path';
import {
  Capability,
  createMessage,
  encodeMessage,
  MarshalizerKind,
  MessageKind,
  type ContractCallInput,
  type ContractCreateInput,
  type VMExecutionHandler,
  type VMOutput,
  type AsyncBlockchainHook,
} from '@vm/protocol';
import { VMHost, MemoryWorld } from '@vm/host';
import { findScenarios, runScenario } from '@vm/host/scenario';
import { VMDriver } from '@vm/driver';
import { CONFORMANCE_DIR, describeWithConformance } from '@vm/testkit';
import { testGasScheduleMap } from '@vm/testkit/host';

/** Records every VMOutput (as the exact wire JSON) a handler produces. */
function recording(handler: VMExecutionHandler, log: string[]): VMExecutionHandler {
  const record = async (output: VMOutput | Promise<VMOutput>) => {
    const resolved = await output;
    log.push(encodeMessage(createMessage(MessageKind.ContractResponse, { VMOutput: resolved })).toString());
    return resolved;
  };
  return {
    runSmartContractCreate: (input: ContractCreateInput) => record(handler.runSmartContractCreate(input)),
    runSmartContractCall: (input: ContractCallInput) => record(handler.runSmartContractCall(input)),
  };
}

const CAPABILITIES = Object.values(Capability).filter((c): c is Capability => typeof c === 'number');
/** Every negotiated extension on (the default), and none (the reference protocol): the whole suite. */
const WHOLE_SUITE: { name: string; capabilities?: Capability[] }[] = [
  { name: 'all extensions' },
  { name: 'none', capabilities: [] },
];
/** Each extension alone: every SAMPLE-th file (a fixed sample, to keep CI fast). */
const EACH_ALONE = CAPABILITIES.map((c) => ({ name: Capability[c], capabilities: [c] }));
const SAMPLE = 6;

// The whole public conformance suite through the process stack (driver -> arwen child -> gateway -> node-part ->
// the in-memory world) must give byte-identical VMOutputs to the in-process run, with either marshalizer, with
// every negotiated extension on, with none, and (on a sample) with each one alone.
describeWithConformance('[@vm/driver] differential: process stack vs in process, whole conformance suite', () => {
  let world: MemoryWorld = new MemoryWorld();
  const forward = new Proxy({} as AsyncBlockchainHook, {
    get: (_target, name) => {
      const value = (world as unknown as Record<string | symbol, unknown>)[name];
      return typeof value === 'function' ? value.bind(world) : value;
    },
  });
  const driversFor = (configs: typeof WHOLE_SUITE) =>
    configs.flatMap(({ name, capabilities }) =>
      [MarshalizerKind.Binary, MarshalizerKind.JSON].map((messagesMarshalizer) => ({
        name: `${name}, ${MarshalizerKind[messagesMarshalizer]}`,
        driver: new VMDriver({
          blockchainHook: forward,
          gasSchedule: testGasScheduleMap(),
          maxLoopTimeMs: 30000,
          messagesMarshalizer,
          capabilities,
        }),
      })),
    );
  const always = driversFor(WHOLE_SUITE);
  const sampled = driversFor(EACH_ALONE);
  afterAll(() => Promise.all([...always, ...sampled].map(({ driver }) => driver.close())));

  const root = path.join(CONFORMANCE_DIR ?? '', 'test');
  const files = CONFORMANCE_DIR ? findScenarios(root) : [];

  it.each(files.map((f, i) => [path.relative(root, f), f, i]))(
    '%s',
    async (_name, file, index) => {
      const inProcess: string[] = [];
      const local = await runScenario(file, {
        createHandler: (w, o) =>
          recording(
            new VMHost({
              blockchainHook: w,
              gasSchedule: o.gasSchedule,
              protectedKeyPrefix: o.protectedKeyPrefix,
              blockGasLimit: 10_000_000n,
            }),
            inProcess,
          ),
      });
      expect(local.passed).toBe(true);
      for (const { name, driver } of index % SAMPLE === 0 ? [...always, ...sampled] : always) {
        const throughProcess: string[] = [];
        const remote = await runScenario(file, {
          createHandler: (w) => {
            world = w;
            return recording(driver, throughProcess);
          },
        });
        expect({ name, message: remote.message }).toEqual({ name, message: undefined });
        expect(remote.passed).toBe(true);
        expect({ name, outputs: throughProcess }).toEqual({ name, outputs: inProcess });
      }
    },
    60000,
  );
});
