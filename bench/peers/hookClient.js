// The VM side of the round-trip benchmark: makes `count` blocking hook calls and prints the latency of each
// (ns, JSON array) on stdout. mode 'messenger': SyncMessenger.request ('messenger-poll': busy polling on both
// ends); mode 'raw': a length-prefixed echo with
// readSync/writeSync, the floor the messenger is compared against.
'use strict';
const { readSync, writeSync } = require('node:fs');
const { FdByteSource, PollPolicy, SyncMessenger } = require('@vm/messenger');
const { createMessage, MessageKind, VM_FD } = require('@vm/protocol');

const [mode, countText, warmupText] = process.argv.slice(2);
const count = Number(countText);
const warmup = Number(warmupText);
const times = [];

// 'raw-poll' reads through the messenger's byte source (a poll of at most 1 ms, then a blocking read): nothing else
const source = mode === 'raw-poll' ? new FdByteSource(VM_FD.nodeToArwen, new PollPolicy(1000)) : undefined;
const read = source
  ? (buffer, got, need) => source.read(buffer.subarray(got, need))
  : (buffer, got, need) => readSync(VM_FD.nodeToArwen, buffer, got, need - got, null);

function rawRoundTrip(frame, buffer) {
  writeSync(VM_FD.arwenToNode, frame);
  let got = 0;
  let need = 8;
  while (got < need) {
    got += read(buffer, got, need);
    if (got >= 8 && need === 8) need = 8 + buffer.readUInt32LE(0);
  }
}

if (mode === 'messenger' || mode === 'messenger-poll') {
  const messenger = new SyncMessenger({
    readFd: VM_FD.nodeToArwen,
    writeFd: VM_FD.arwenToNode,
    busyPollMicros: mode === 'messenger-poll' ? 1000 : 0,
  });
  const request = createMessage(MessageKind.BlockchainGetStorageDataRequest, {
    Address: Buffer.alloc(32, 7),
    Index: Buffer.from('mycounter'.padEnd(32, '\0')),
  });
  for (let i = 0; i < warmup + count; i++) {
    const start = process.hrtime.bigint();
    messenger.request(request);
    if (i >= warmup) times.push(Number(process.hrtime.bigint() - start));
  }
} else {
  const payload = Buffer.alloc(130, 0x41);
  const frame = Buffer.concat([Buffer.from([130, 0, 0, 0, 8, 0, 0, 0]), payload]);
  const buffer = Buffer.alloc(4096);
  for (let i = 0; i < warmup + count; i++) {
    const start = process.hrtime.bigint();
    rawRoundTrip(frame, buffer);
    if (i >= warmup) times.push(Number(process.hrtime.bigint() - start));
  }
}
process.stdout.write(JSON.stringify(times));
