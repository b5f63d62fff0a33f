// Round trips between two processes: the messenger (async node endpoint <-> sync VM endpoint) next to a raw
// length-prefixed ping-pong over the same kind of socketpairs, measured in the same run.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { AsyncMessenger, NOTHING_YET, PollPolicy, tryRead } = require('@vm/messenger');
const { createMessage, MessageKind, vmPipes, vmSpawnStdio } = require('@vm/protocol');
const { summarize } = require('./stats');

function runPeer(mode, count, warmup, serve) {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'peers', 'hookClient.js'), mode, String(count), String(warmup)],
    { stdio: vmSpawnStdio({ stderr: 'inherit', init: 'ignore', logProfile: 'ignore', logLines: 'ignore' }) },
  );
  const pipes = vmPipes(child);
  let out = '';
  pipes.stdout.on('data', (d) => (out += d));
  serve(pipes.arwenToNode, pipes.nodeToArwen);
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

/**
 * The raw echo with the messenger's waiting strategy: after each reply, read the input's fd without blocking for
 * up to 1 ms, backing off after misses as the messenger does (PollPolicy); libuv reads the fd only on the event
 * loop, which this holds, so the bytes stay in order.
 */
function serveRawPoll(input, output, micros = 1000) {
  const policy = new PollPolicy(micros);
  const reply = Buffer.concat([Buffer.from([60, 0, 0, 0, 9, 0, 0, 0]), Buffer.alloc(60, 0x42)]);
  const fd = input._handle.fd;
  const chunk = Buffer.allocUnsafe(65536);
  let pending = Buffer.alloc(0);
  const consume = (bytes) => {
    pending = pending.length ? Buffer.concat([pending, bytes]) : bytes;
    let replied = false;
    while (pending.length >= 8 && pending.length >= 8 + pending.readUInt32LE(0)) {
      pending = pending.subarray(8 + pending.readUInt32LE(0));
      output.write(reply);
      replied = true;
    }
    return replied;
  };
  const poll = () => {
    if (!policy.shouldPoll()) return false;
    const end = process.hrtime.bigint() + BigInt(micros * 1000);
    while (process.hrtime.bigint() < end) {
      const n = tryRead(fd, chunk);
      if (n === 0) return false;
      if (n !== NOTHING_YET && consume(Buffer.from(chunk.subarray(0, n)))) return (policy.record(true), true);
    }
    policy.record(false);
    return false;
  };
  input.on('data', (bytes) => {
    if (consume(bytes)) while (output.writableLength === 0 && poll());
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

/** The same with busy polling on both ends (at most 1 ms before sleeping), the driver's default waiting. */
function rawPollingPingPong(count = 5000, warmup = 1000) {
  return runPeer('raw-poll', count, warmup, serveRawPoll);
}

module.exports = { ipcBenchmarks, rawPingPong, rawPollingPingPong };
