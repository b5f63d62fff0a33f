import path from 'node:path';
import { wat } from '@vm/testkit';

/** The adder of the examples: init(initial), add(value), getSum(); one argument or "wrong number of arguments". */
export const ADDER_WASM = path.join(__dirname, '..', '..', 'examples', 'adder.wasm');

/** Reports the block info and the caller; `pay` sends 5 to the caller. */
export const probe = () =>
  wat(`(module
  (import "env" "getBlockTimestamp" (func $timestamp (result i64)))
  (import "env" "getBlockNonce" (func $nonce (result i64)))
  (import "env" "getBlockRound" (func $round (result i64)))
  (import "env" "getBlockEpoch" (func $epoch (result i64)))
  (import "env" "getPrevBlockTimestamp" (func $prevTimestamp (result i64)))
  (import "env" "getCaller" (func $getCaller (param i32)))
  (import "env" "transferValue" (func $transfer (param i32 i32 i32 i32) (result i32)))
  (import "env" "finish" (func $finish (param i32 i32)))
  (import "env" "int64finish" (func $finish64 (param i64)))
  (memory (export "memory") 1)
  (data (i32.const 95) "\\05")
  (func (export "init"))
  (func (export "block")
    (call $finish64 (call $timestamp)) (call $finish64 (call $nonce)) (call $finish64 (call $round))
    (call $finish64 (call $epoch)) (call $finish64 (call $prevTimestamp)))
  (func (export "caller") (call $getCaller (i32.const 0)) (call $finish (i32.const 0) (i32.const 32)))
  (func (export "pay")
    (call $getCaller (i32.const 0))
    (drop (call $transfer (i32.const 0) (i32.const 64) (i32.const 0) (i32.const 0)))))`);
