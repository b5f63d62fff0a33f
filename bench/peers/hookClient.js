// The VM side of the round-trip benchmark: makes `count` blocking hook calls and prints the latency of each
// (ns, JSON array) on stdout. mode 'messenger': SyncMessenger.request ('messenger-poll': busy polling on both
// ends); mode 'raw': a length-prefixed echo with
// readSync/writeSync, the floor the messenger is compared against.
'use strict';
const { readSync, writeSync } = require('node:fs');
const { SyncMessenger } = require('@vm/messenger');
const { createMessage, MessageKind } = require('@vm/protocol');

const [mode, countText, warmupText] = process.argv.slice(2);
const count = Number(countText);
const warmup = Number(warmupText);
const times = [];

function rawRoundTrip(frame, buffer) {
  writeSync(5, frame);
  let got = 0;
  let need = 8;
  while (got < need) {
    got += readSync(4, buffer, got, need - got, null);
    if (got >= 8 && need === 8) need = 8 + buffer.readUInt32LE(0);
  }
}

if (mode === 'messenger' || mode === 'messenger-poll') {
  const messenger = new SyncMessenger({ readFd: 4, writeFd: 5, busyPollMicros: mode === 'messenger-poll' ? 1000 : 0 });
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
