// Round trips between two processes: the messenger (async node endpoint <-> sync VM endpoint) next to a raw
// length-prefixed ping-pong over the same kind of socketpairs, measured in the same run.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { AsyncMessenger } = require('@vm/messenger');
const { createMessage, MessageKind } = require('@vm/protocol');
const { summarize } = require('./stats');

function runPeer(mode, count, warmup, serve) {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'peers', 'hookClient.js'), mode, String(count), String(warmup)],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  serve(child.stdio[5], child.stdio[4]);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) =>
      code === 0 ? resolve(summarize(JSON.parse(out))) : reject(new Error(`${mode} peer exited with ${code}`)),
    );
  });
}

function serveMessenger(input, output, busyPollMicros = 0) {
  const messenger = new AsyncMessenger(input, output, { busyPollMicros });
  const response = createMessage(MessageKind.BlockchainGetStorageDataResponse, { Data: Uint8Array.of(1, 2, 3, 4) });
  (async () => {
    for (;;) {
      await messenger.receive();
      await messenger.send(response);
    }
  })().catch(() => messenger.close());
}

function serveRaw(input, output) {
  const reply = Buffer.concat([Buffer.from([60, 0, 0, 0, 9, 0, 0, 0]), Buffer.alloc(60, 0x42)]);
  let pending = Buffer.alloc(0);
  input.on('data', (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8 && pending.length >= 8 + pending.readUInt32LE(0)) {
      pending = pending.subarray(8 + pending.readUInt32LE(0));
      output.write(reply);
    }
  });
}

async function ipcBenchmarks({ count = 20000, warmup = 2000 } = {}) {
  // Alternate the two kinds so both see the same machine conditions.
  const raw1 = await runPeer('raw', count / 2, warmup, serveRaw);
  const messenger1 = await runPeer('messenger', count / 2, warmup, serveMessenger);
  const raw2 = await runPeer('raw', count / 2, warmup, serveRaw);
  const messenger2 = await runPeer('messenger', count / 2, warmup, serveMessenger);
  const polling = await runPeer('messenger-poll', count / 2, warmup, (input, output) =>
    serveMessenger(input, output, 1000),
  );
  const merge = (a, b) => ({
    n: a.n + b.n,
    median: (a.median + b.median) / 2,
    p99: Math.max(a.p99, b.p99),
    min: Math.min(a.min, b.min),
  });
  return { raw: merge(raw1, raw2), messenger: merge(messenger1, messenger2), messengerBusyPolling: polling };
}

/** A raw ping-pong measurement alone (for baselines taken right next to another measurement). */
function rawPingPong(count = 5000, warmup = 1000) {
  return runPeer('raw', count, warmup, serveRaw);
}

module.exports = { ipcBenchmarks, rawPingPong };
