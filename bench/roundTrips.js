// Round trips per ERC20 transfer through the process stack: the reference protocol (no extensions) against the
// negotiated extensions (code by hash, account and storage prefetch), on a world that evolves (each output is
// applied), with the same pair of accounts and with a new receiver every transfer; and the time per transfer of
// both, measured in interleaved blocks in the same run (a ratio, never an absolute time).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { VMDriver } = require('@vm/driver');
const { GAS_SECTION_KEYS, MemoryWorld } = require('@vm/host');
const { summarize } = require('./stats');
const { callInput, testGasScheduleMap } = require('./fixtures');

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'conformance');
const gasSchedule = testGasScheduleMap(GAS_SECTION_KEYS);

const FROM = Buffer.from('a94f5374fce5edbc8e2a8697c15331677e6ebf0b000000000000000000000000', 'hex');
const TOKEN = Buffer.concat([Buffer.of(0x10), Buffer.alloc(31)]);

function erc20World() {
  const world = new MemoryWorld();
  world.setAccount({ ...world.accountOrNew(FROM), balance: 10n ** 12n });
  world.setAccount({
    ...world.accountOrNew(TOKEN),
    code: new Uint8Array(fs.readFileSync(path.join(CONFORMANCE, 'test', 'erc20', 'contracts', 'erc20-c.wasm'))),
    // the sender's balance key of erc20-c.wasm: 10,000 tokens
    storage: new Map([
      ['19efaebcc296cffac396adb4a60d54c05eff43926a6072498a618e943908efe1', Buffer.from('2710', 'hex')],
    ]),
  });
  return world;
}

const transfer = (to) => callInput(TOKEN, 'transferToken', [to, Uint8Array.of(1)], FROM);

/** A driver over its own evolving world: `run(to)` transfers one token and applies the output. */
function stack(capabilities) {
  const world = erc20World();
  const driver = new VMDriver({ blockchainHook: world, gasSchedule, maxLoopTimeMs: 30000, capabilities });
  return {
    driver,
    async run(to) {
      const output = await driver.runSmartContractCall(transfer(to));
      if (output.ReturnCode !== 0) throw new Error(`transfer failed: ${output.ReturnMessage}`);
      world.applyOutput(output, FROM);
    },
  };
}

async function roundTripsPerTransfer(s, receivers, count) {
  for (let i = 0; i < 20; i++) await s.run(receivers(i)); // warm: codes known, keys learned
  const before = s.driver.stats.roundTrips;
  for (let i = 0; i < count; i++) await s.run(receivers(20 + i));
  return (s.driver.stats.roundTrips - before) / count;
}

async function roundTripBenchmarks({ blocks = 4, perBlock = 400 } = {}) {
  if (!fs.existsSync(CONFORMANCE)) return { skipped: `no conformance suite at ${CONFORMANCE}` };
  const reference = stack([]);
  const negotiated = stack(undefined);
  try {
    const samePair = () => Buffer.alloc(32, 0x42);
    const newReceiver = (i) =>
      Buffer.concat([Buffer.from('receiver'), Buffer.alloc(20), Buffer.from(Uint32Array.of(i).buffer)]);
    const trips = {
      reference: await roundTripsPerTransfer(reference, samePair, 200),
      negotiated: await roundTripsPerTransfer(negotiated, samePair, 200),
      referenceNewReceiver: await roundTripsPerTransfer(reference, newReceiver, 200),
      negotiatedNewReceiver: await roundTripsPerTransfer(negotiated, newReceiver, 200),
    };
    const samples = { reference: [], negotiated: [] };
    for (let b = 0; b < blocks; b++) {
      for (const [name, s] of [
        ['reference', reference],
        ['negotiated', negotiated],
      ]) {
        for (let i = 0; i < perBlock; i++) {
          const start = process.hrtime.bigint();
          await s.run(samePair());
          samples[name].push(Number(process.hrtime.bigint() - start));
        }
      }
    }
    const time = { reference: summarize(samples.reference), negotiated: summarize(samples.negotiated) };
    return { trips, time, ratio: time.negotiated.median / time.reference.median };
  } finally {
    await reference.driver.close();
    await negotiated.driver.close();
  }
}

/** The rows for bench/run.js. */
function roundTripRows(r, us) {
  if (r.skipped) return [{ benchmark: 'round trips per transfer', median: '', p99: '', note: r.skipped }];
  return [
    {
      benchmark: 'ERC20 transfer, reference protocol (no extensions): round trips per transfer',
      median: `${us(r.time.reference.median)} µs`,
      p99: `${us(r.time.reference.p99)} µs`,
      note: `baseline; ${r.trips.reference} round trips (${r.trips.referenceNewReceiver} to a new receiver each time)`,
    },
    {
      benchmark: 'the same with the negotiated extensions (the default), interleaved',
      median: `${us(r.time.negotiated.median)} µs`,
      p99: `${us(r.time.negotiated.p99)} µs`,
      note: `${r.ratio.toFixed(2)}x baseline; ${r.trips.negotiated} round trip(s) (${r.trips.negotiatedNewReceiver} to a new receiver; target <= 2)`,
    },
  ];
}

module.exports = { roundTripBenchmarks, roundTripRows };

if (require.main === module)
  roundTripBenchmarks().then((r) => {
    console.table(roundTripRows(r, (ns) => (ns / 1000).toFixed(2)));
  });
