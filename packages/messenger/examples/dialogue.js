#!/usr/bin/env node
// A node and a stand-in VM process exchanging one full dialogue over real pipes (fd 4: node -> VM, fd 5: VM -> node):
// the node sends a ContractCallRequest, the VM makes a GetStorageData hook call, the node answers, the VM responds.
// Run: node packages/messenger/examples/dialogue.js   (after `npm run build`)
'use strict';
const { spawn } = require('node:child_process');
const { AsyncMessenger, SyncMessenger, Deadline } = require('@vm/messenger');
const {
  createMessage,
  describeMessage,
  encodeMessage,
  MessageKind,
  VM_FD,
  vmPipes,
  vmSpawnStdio,
} = require('@vm/protocol');

function vmProcess() {
  const vm = new SyncMessenger({ readFd: VM_FD.nodeToArwen, writeFd: VM_FD.arwenToNode, receiveTimeoutMs: 5000 });
  const request = vm.receive();
  const answer = vm.request(
    createMessage(MessageKind.BlockchainGetStorageDataRequest, {
      Address: request.CallInput.RecipientAddr,
      Index: Buffer.from('mycounter'),
    }),
  );
  const counter = (answer.Data ?? Uint8Array.of(0))[0] + 1;
  vm.send(
    createMessage(MessageKind.ContractResponse, {
      VMOutput: {
        ReturnData: [Uint8Array.of(counter)],
        ReturnCode: 0,
        ReturnMessage: '',
        GasRemaining: request.CallInput.GasProvided - 350n,
        GasRefund: 0n,
        OutputAccounts: [
          {
            Address: request.CallInput.RecipientAddr,
            Nonce: 0n,
            Balance: null,
            BalanceDelta: 0n,
            StorageUpdates: [{ Offset: Buffer.from('mycounter'), Data: Uint8Array.of(counter) }],
            Code: null,
            CodeMetadata: null,
            Data: null,
            GasLimit: 0n,
            CallType: 0,
          },
        ],
        DeletedAccounts: [],
        TouchedAccounts: [],
        Logs: [],
      },
    }),
  );
}

async function nodeProcess() {
  const child = spawn(process.execPath, [__filename, '--vm'], {
    stdio: vmSpawnStdio({
      stdout: 'inherit',
      stderr: 'inherit',
      init: 'ignore',
      logProfile: 'ignore',
      logLines: 'ignore',
    }),
  });
  const { arwenToNode, nodeToArwen } = vmPipes(child);
  const node = new AsyncMessenger(arwenToNode, nodeToArwen);
  const show = (direction, message) =>
    console.log(`${direction} ${describeMessage(message)} ${encodeMessage(message).toString()}`);
  const deadline = Deadline.after(5000); // one budget for the whole request
  const request = createMessage(MessageKind.ContractCallRequest, {
    CallInput: {
      CallerAddr: Buffer.from('me'),
      Arguments: [],
      CallValue: 0n,
      CallType: 0,
      GasPrice: 100000000n,
      GasProvided: 2000000n,
      OriginalTxHash: null,
      CurrentTxHash: null,
      RecipientAddr: Buffer.from('mycontract'),
      Function: 'increment',
    },
  });
  await node.send(request, deadline);
  show('node -> VM', { ...request, DialogueNonce: 1 });
  const hook = await node.receive(deadline);
  show('VM -> node', hook);
  const answer = createMessage(MessageKind.BlockchainGetStorageDataResponse, { Data: Uint8Array.of(41) });
  await node.send(answer, deadline);
  show('node -> VM', { ...answer, DialogueNonce: 3 });
  const response = await node.receive(deadline);
  show('VM -> node', response);
  node.resetDialogue();
  await new Promise((resolve) => child.on('exit', resolve));
  console.log(`counter is now ${response.VMOutput.ReturnData[0][0]}`);
}

if (process.argv[2] === '--vm') vmProcess();
else
  nodeProcess().catch((error) => {
    console.error(error);
    process.exit(1);
  });
