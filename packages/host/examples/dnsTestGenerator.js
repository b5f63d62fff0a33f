#!/usr/bin/env node
// The reference's DNS test generator (cmd/testgen/dns), re-created on the step API and the writer: one DNS
// contract per shard, that is 256 new addresses (the shard is the address's last byte) and 256 deploys. Prints
// the steps file to stdout; `node dnsTestGenerator.js > dns_init.steps.json` writes what the suite holds.
'use strict';
const { parseScenarioStep, writeScenario } = require('@vm/host');

const OWNER = "''dns_owner_______________________";
// the steps are only written, not run: `file:` values are kept as text, not read
const TEXT_ONLY = { readFiles: false };
const shards = Array.from({ length: 256 }, (_, shard) => `0x${shard.toString(16).padStart(2, '0')}`);

const setState = parseScenarioStep(
  {
    step: 'setState',
    accounts: { [OWNER]: { nonce: '0', balance: '0', storage: {}, code: '' } },
    newAddresses: shards.map((shard) => ({
      creatorAddress: OWNER,
      creatorNonce: shard,
      newAddress: `''dns____________________________|${shard}`,
    })),
  },
  TEXT_ONLY,
);

const deploys = shards.map((shard) =>
  parseScenarioStep(
    {
      step: 'scDeploy',
      txId: `deploy-${shard}`,
      tx: {
        from: OWNER,
        value: '0',
        contractCode: 'file:dns.wasm',
        arguments: ['123,000'],
        gasLimit: '100,000',
        gasPrice: '0',
      },
      expect: { out: [], status: '', logs: [], gas: '*', refund: '*' },
    },
    TEXT_ONLY,
  ),
);

process.stdout.write(writeScenario({ name: 'dns test', checkGas: false, steps: [setState, ...deploys] }));
