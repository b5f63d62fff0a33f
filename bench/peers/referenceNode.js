// A node that speaks only the reference's protocol to `arwen`: JSON frames (Initialize without any of our
// fields), blocking reads and writes, one hook answered per message, nothing negotiated. It runs `count` calls of
// ERC20 transferToken after `warmup` and prints {times (ns), roundTrips (per call)} as JSON on stdout.
// argv: count warmup contractPath
'use strict';
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { arwenCommand, locateArwen } = require('@vm/driver');
const { GAS_SECTION_KEYS, MemoryWorld } = require('@vm/host');
const { account, callInput, testGasScheduleMap } = require('../fixtures');
const {
  HOOK_CALLS,
  MarshalizerKind,
  MessageKind,
  VM_FD,
  createMessage,
  decodeMessage,
  encodeFrame,
  isHookRequest,
  responseKindOf,
  vmSpawnStdio,
} = require('@vm/protocol');

const [countText, warmupText, contractPath] = process.argv.slice(2);
const count = Number(countText);
const warmup = Number(warmupText);

const gasSchedule = testGasScheduleMap(GAS_SECTION_KEYS);

const world = new MemoryWorld();
const token = Buffer.alloc(32);
token[0] = 0x10;
const from = Buffer.from('a94f5374fce5edbc8e2a8697c15331677e6ebf0b000000000000000000000000', 'hex');
world.setAccount(account(from, { balance: 10n ** 12n }));
world.setAccount(
  account(token, {
    code: new Uint8Array(fs.readFileSync(contractPath)),
    storage: new Map([
      ['19efaebcc296cffac396adb4a60d54c05eff43926a6072498a618e943908efe1', Buffer.from('2710', 'hex')],
    ]),
  }),
);

const [command, args] = arwenCommand(locateArwen());
const child = spawn(command, args, {
  stdio: vmSpawnStdio({ stdout: 'ignore', stderr: 'inherit', logLines: 'ignore' }),
});
/** The node's end of a child pipe, switched to blocking mode: this node reads and writes it with readSync/writeSync. */
const blockingFd = (stream) => {
  stream._handle.setBlocking(true);
  return stream._handle.fd;
};
const initFd = blockingFd(child.stdio[VM_FD.init]);
const toArwen = blockingFd(child.stdio[VM_FD.nodeToArwen]);
const fromArwen = blockingFd(child.stdio[VM_FD.arwenToNode]);

const writeAll = (fd, bytes) => {
  for (let offset = 0; offset < bytes.length;) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
};
const header = Buffer.alloc(8);
const readExactly = (fd, target) => {
  for (let got = 0; got < target.length;) {
    const n = fs.readSync(fd, target, got, target.length - got, null);
    if (n === 0) throw new Error('arwen closed its end');
    got += n;
  }
  return target;
};
const receive = () => {
  readExactly(fromArwen, header);
  const payload = readExactly(fromArwen, Buffer.allocUnsafe(header.readUInt32LE(0)));
  return decodeMessage(header.readUInt32LE(4), payload);
};
const send = (message, nonce) => writeAll(toArwen, encodeFrame({ ...message, DialogueNonce: nonce }));

writeAll(
  initFd,
  encodeFrame(
    createMessage(MessageKind.Initialize, {
      Arguments: {
        VMType: Uint8Array.of(5, 0),
        BlockGasLimit: 10_000_000n,
        GasSchedule: gasSchedule,
        ProtocolBuiltinFunctions: null,
        Kalyan3104ProtectedKeyPrefix: Buffer.from('KALYAN3104'),
        LogsMarshalizer: MarshalizerKind.JSON,
        MessagesMarshalizer: MarshalizerKind.JSON,
      },
    }),
  ),
);

const request = createMessage(MessageKind.ContractCallRequest, {
  CallInput: callInput(token, 'transferToken', [Buffer.alloc(32, 0x42), Uint8Array.of(0x17)], from),
});

/** One call: the request, every hook answered in turn, the response. Returns the number of round trips. */
function call() {
  let nonce = 1;
  send(request, nonce);
  for (let roundTrips = 1; ; roundTrips++) {
    const message = receive();
    nonce = message.DialogueNonce;
    if (!isHookRequest(message.Kind)) {
      if (message.Kind !== MessageKind.ContractResponse || message.ErrorMessage !== '')
        throw new Error(`unexpected answer: kind ${message.Kind} ${message.ErrorMessage ?? ''}`);
      return roundTrips;
    }
    const hook = HOOK_CALLS[message.Kind];
    const result = world[hook.method](...hook.fromRequest(message));
    send(createMessage(responseKindOf(message.Kind), hook.toResponse(result)), nonce + 1);
  }
}

const times = [];
let roundTrips = 0;
for (let i = 0; i < warmup + count; i++) {
  const start = process.hrtime.bigint();
  roundTrips = call();
  if (i >= warmup) times.push(Number(process.hrtime.bigint() - start));
}
send(createMessage(MessageKind.Stop, {}), 1);
for (const stream of child.stdio) stream?.on('error', () => undefined); // arwen is gone once it stops
process.stdout.write(JSON.stringify({ times, roundTrips }), () => process.exit(0));
