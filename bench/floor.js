// BASELINE ONLY, never used by the VM: the same contracts on a bare V8 instance with a minimal JavaScript host
// (storage in a Map, only the imports each contract uses, one instance reused, no validation, no metering, no gas).
// It is the physical floor of an in-process VM; `bench/host.js` prints VMHost's time as a ratio of it.
'use strict';
const { createKeccak } = require('hash-wasm');
const { FakeBlockchainHook } = require('@vm/testkit');

/** The storage-heavy contract of the benchmark: `run` stores 100 distinct 32-byte keys with 32-byte values. */
const STORE_100_WAT = `(module
  (import "env" "storageStore" (func $store (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "run") (local $i i32)
    (loop $l
      (i32.store (i32.const 0) (local.get $i))
      (i32.store (i32.const 32) (i32.add (local.get $i) (i32.const 1)))
      (drop (call $store (i32.const 0) (i32.const 32) (i32.const 32) (i32.const 32)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))))`;

const keyOf = (bytes) => Buffer.from(bytes).toString('latin1');

function bigEndian(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function magnitude(value) {
  const v = value < 0n ? -value : value;
  if (v === 0n) return new Uint8Array(0);
  const hex = v.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** A minimal host: one call's arguments and caller, storage and big integers, and the output of the call. */
class FloorHost {
  constructor(initial = new Map()) {
    this.initial = initial;
    this.storage = new Map(initial);
    this.memory = undefined;
    this.args = [];
    this.caller = new Uint8Array(32);
    this.callValue = 0n;
    this.bigInts = [];
    this.out = [];
  }

  bytes(ptr, length) {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  /** Runs `fn` of the instance and returns what it finished with. */
  call(exports, fn, args, caller) {
    this.args = args;
    this.caller = caller;
    this.bigInts.length = 0;
    this.out = [];
    // Every call starts from the same state, as VMHost's calls do (their output is not committed to the world).
    this.storage = new Map(this.initial);
    exports[fn]();
    return this.out;
  }
}

function erc20Imports(host, keccak) {
  const big = host.bigInts;
  const load = (key) => host.storage.get(keyOf(key)) ?? new Uint8Array(0);
  return {
    env: {
      getNumArguments: () => host.args.length,
      getArgument: (id, ptr) => {
        const arg = host.args[id];
        host.bytes(ptr, arg.length).set(arg);
        return arg.length;
      },
      getCaller: (ptr) => host.bytes(ptr, 32).set(host.caller),
      signalError: (ptr, length) => {
        throw new Error(Buffer.from(host.bytes(ptr, length)).toString());
      },
      keccak256: (ptr, length, resultPtr) => {
        keccak.init();
        keccak.update(host.bytes(ptr, length));
        host.bytes(resultPtr, 32).set(keccak.digest('binary'));
        return 0;
      },
      writeLog: (dataPtr, length, topicsPtr, numTopics) => {
        host.out.push(host.bytes(topicsPtr, 32 * numTopics).slice(), host.bytes(dataPtr, length).slice());
      },
      bigIntNew: (small) => big.push(small) - 1,
      bigIntGetCallValue: (dest) => {
        big[dest] = host.callValue;
      },
      bigIntGetSignedArgument: (id, dest) => {
        const arg = host.args[id];
        const v = bigEndian(arg);
        big[dest] = arg.length && arg[0] & 0x80 ? v - (1n << BigInt(arg.length * 8)) : v;
      },
      bigIntGetUnsignedBytes: (h, ptr) => {
        const bytes = magnitude(big[h]);
        host.bytes(ptr, bytes.length).set(bytes);
        return bytes.length;
      },
      bigIntCmp: (a, b) => (big[a] < big[b] ? -1 : big[a] > big[b] ? 1 : 0),
      bigIntAdd: (dest, a, b) => {
        big[dest] = big[a] + big[b];
      },
      bigIntSub: (dest, a, b) => {
        big[dest] = big[a] - big[b];
      },
      bigIntStorageLoadUnsigned: (keyPtr, keyLen, dest) => {
        const value = load(host.bytes(keyPtr, keyLen));
        big[dest] = bigEndian(value);
        return value.length;
      },
      bigIntStorageStoreUnsigned: (keyPtr, keyLen, src) => {
        host.storage.set(keyOf(host.bytes(keyPtr, keyLen)), magnitude(big[src]));
        return 0;
      },
      bigIntFinishUnsigned: (h) => {
        host.out.push(magnitude(big[h]));
      },
    },
  };
}

function counterImports(host) {
  return {
    env: {
      int64storageLoad: (keyPtr, keyLen) => {
        const value = host.storage.get(keyOf(host.bytes(keyPtr, keyLen)));
        return value === undefined ? 0n : BigInt.asIntN(64, bigEndian(value));
      },
      int64storageStore: (keyPtr, keyLen, value) => {
        host.storage.set(keyOf(host.bytes(keyPtr, keyLen)), magnitude(value));
        return 0;
      },
      int64finish: (value) => {
        host.out.push(value);
      },
    },
  };
}

function storeImports(host) {
  return {
    env: {
      storageStore: (keyPtr, keyLen, dataPtr, dataLen) => {
        host.storage.set(keyOf(host.bytes(keyPtr, keyLen)), host.bytes(dataPtr, dataLen).slice());
        return 0;
      },
    },
  };
}

const IMPORTS = { erc20: erc20Imports, counter: counterImports, store: storeImports };

/**
 * The world VMHost runs against in the floor rows: the test hook with its storage and accounts kept as the floor's
 * are (latin1-keyed Maps, account records built once), so both sides pay the same for the node's world and the
 * ratio measures the VM alone. The test hook's hex keys cost more than some contracts' whole floor.
 */
class FloorWorld extends FakeBlockchainHook {
  constructor() {
    super();
    this.storageOf = new Map();
    this.records = new Map();
  }

  setAccount(address, account) {
    super.setAccount(address, account);
    this.records.set(keyOf(address), super.getUserAccount(address));
    if (!this.storageOf.has(keyOf(address))) this.storageOf.set(keyOf(address), new Map());
    return this;
  }

  setStorage(address, key, value) {
    if (!this.records.has(keyOf(address))) this.setAccount(address, {});
    this.storageOf.get(keyOf(address)).set(keyOf(key), value);
    return super.setStorage(address, key, value);
  }

  getStorageData(address, key) {
    return this.storageOf.get(keyOf(address))?.get(keyOf(key)) ?? EMPTY;
  }

  getUserAccount(address) {
    return this.records.get(keyOf(address)) ?? null;
  }
}
const EMPTY = new Uint8Array(0);

/**
 * A bare instance of `code` (kind: 'erc20' | 'counter' | 'store') with the minimal host; `storage` holds the
 * initial entries as [key bytes, value bytes]. Returns `call(fn, args, caller)`, which reuses the instance.
 */
async function floorInstance(kind, code, storage = []) {
  const keccak = await createKeccak(256);
  const host = new FloorHost(new Map(storage.map(([k, v]) => [keyOf(k), Uint8Array.from(v)])));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(code), IMPORTS[kind](host, keccak));
  host.memory = instance.exports.memory;
  return { host, call: (fn, args = [], caller = new Uint8Array(32)) => host.call(instance.exports, fn, args, caller) };
}

module.exports = { floorInstance, FloorWorld, STORE_100_WAT };
