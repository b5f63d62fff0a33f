import path from 'node:path';
import {
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

// The whole public conformance suite through the process stack (driver -> arwen child -> gateway -> node-part ->
// the in-memory world) must give byte-identical VMOutputs to the in-process run, with either marshalizer.
describeWithConformance('[@vm/driver] differential: process stack vs in process, whole conformance suite', () => {
  let world: MemoryWorld = new MemoryWorld();
  const forward = new Proxy({} as AsyncBlockchainHook, {
    get: (_target, name) => {
      const value = (world as unknown as Record<string | symbol, unknown>)[name];
      return typeof value === 'function' ? value.bind(world) : value;
    },
  });
  const drivers = [MarshalizerKind.Binary, MarshalizerKind.JSON].map(
    (messagesMarshalizer) =>
      new VMDriver({
        blockchainHook: forward,
        gasSchedule: testGasScheduleMap(),
        maxLoopTimeMs: 30000,
        messagesMarshalizer,
      }),
  );
  afterAll(() => Promise.all(drivers.map((d) => d.close())));

  const root = path.join(CONFORMANCE_DIR ?? '', 'test');
  const files = CONFORMANCE_DIR ? findScenarios(root) : [];

  it.each(files.map((f) => [path.relative(root, f), f]))(
    '%s',
    async (_name, file) => {
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
      for (const driver of drivers) {
        const throughProcess: string[] = [];
        const remote = await runScenario(file, {
          createHandler: (w) => {
            world = w;
            return recording(driver, throughProcess);
          },
        });
        expect(remote.message).toBeUndefined();
        expect(remote.passed).toBe(true);
        expect(throughProcess).toEqual(inProcess);
      }
    },
    60000,
  );
});
