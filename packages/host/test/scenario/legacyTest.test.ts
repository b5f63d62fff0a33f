import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  convertTestToScenario,
  parseScenario,
  parseTest,
  parseTestFile,
  runScenario,
  runTestFile,
  ScenarioError,
  writeScenario,
  writeTestFile,
} from '@vm/host/scenario';
import { contractDir, OWNER, SC } from './fixtures';

/** A legacy test file in the reference writer's layout: a call, a deploy, then the post state. */
const TEST_FILE = `{
    "storeAndDeploy": {
        "checkGas": false,
        "pre": {
            "${OWNER}": {
                "nonce": "0",
                "balance": "1,000,000",
                "storage": {},
                "code": ""
            },
            "${SC}": {
                "nonce": "0",
                "balance": "0",
                "storage": {},
                "code": "file:contract.wasm"
            }
        },
        "blocks": [
            {
                "results": [
                    {
                        "out": [],
                        "status": "",
                        "logs": [
                            {
                                "address": "${SC}",
                                "identifier": "0x${'74'.repeat(32)}",
                                "topics": [],
                                "data": "''val"
                            }
                        ],
                        "gas": "12345",
                        "refund": "*"
                    },
                    {
                        "out": [],
                        "status": "",
                        "logs": [],
                        "gas": "*",
                        "refund": "*"
                    }
                ],
                "transactions": [
                    {
                        "nonce": "0",
                        "function": "store",
                        "gasLimit": "100,000",
                        "value": "0",
                        "to": "${SC}",
                        "arguments": [
                            "''key",
                            "''val"
                        ],
                        "gasPrice": "1",
                        "from": "${OWNER}"
                    },
                    {
                        "nonce": "1",
                        "function": "",
                        "gasLimit": "100,000",
                        "value": "0",
                        "to": "",
                        "arguments": [],
                        "contractCode": "file:contract.wasm",
                        "gasPrice": "0",
                        "from": "${OWNER}"
                    }
                ],
                "blockHeader": {
                    "gasLimit": "0x174876e800",
                    "number": "0x01",
                    "difficulty": "0x020000",
                    "timestamp": "0x03e8",
                    "coinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"
                }
            }
        ],
        "network": "Arwen",
        "blockHashes": [
            "0x24a30e4305ac41674b26493c800c05f507e98d3b8bceb0a314f9b9bc43622736"
        ],
        "postState": {
            "${OWNER}": {
                "nonce": "2",
                "balance": "900,000",
                "storage": {},
                "code": ""
            },
            "${SC}": {
                "nonce": "0",
                "balance": "0",
                "storage": {
                    "''key": "''val"
                },
                "code": "file:contract.wasm"
            },
            "+": ""
        }
    }
}
`;

/** The same test, failing: a wrong result, a wrong post state, and a runner error (an unknown sender). */
function variants(): Record<string, unknown> {
  const good = JSON.parse(TEST_FILE).storeAndDeploy;
  const wrongOut = structuredClone(good);
  wrongOut.blocks[0].results[1].status = '4';
  const wrongPost = structuredClone(good);
  wrongPost.postState[OWNER].balance = '1';
  const unknownSender = structuredClone(good);
  unknownSender.blocks[0].transactions[0].from = `0x${'0d'.repeat(32)}`;
  return { good, wrongOut, wrongPost, unknownSender };
}

let dir: string;
beforeAll(async () => {
  dir = await contractDir('legacy-');
});

describe('[@vm/host] legacy .test.json files', () => {
  it('parse and write back byte for byte in the reference layout', () => {
    const file = path.join(dir, 'x.test.json');
    const parsed = parseTest(TEST_FILE, { file });
    expect(parsed.tests.map((t) => t.name)).toEqual(['storeAndDeploy']);
    expect(parsed.tests[0].blocks?.[0].transactions?.map((tx) => tx.to?.original)).toEqual([SC, '']);
    expect(writeTestFile(parsed)).toBe(TEST_FILE);
  });

  it('run: the world cleared per case, results checked per transaction, postState at the end', async () => {
    const file = path.join(dir, 'cases.test.json');
    writeFileSync(file, JSON.stringify(variants(), null, 2));
    const result = await runTestFile(file);
    expect(result.cases?.map((c) => [c.name, c.passed])).toEqual([
      ['good', true],
      ['wrongOut', false],
      ['wrongPost', false],
      ['unknownSender', false],
    ]);
    const byName = Object.fromEntries(result.cases!.map((c) => [c.name, c.message]));
    expect(byName.wrongOut).toMatch(
      /block 0 transaction 1: unexpected result:\n {2}status: expected 4 \(user error\), got 0 \(ok\)/,
    );
    expect(byName.wrongPost).toMatch(/postState differs:\n {2}account 0x0a0a\S* balance: expected 1, got 900000/);
    expect(byName.unknownSender).toMatch(/sender 0d0d\S* does not exist/);
    expect(result.passed).toBe(false);
    // runScenario picks the format by the file name
    expect((await runScenario(file)).cases).toHaveLength(4);
  });

  it('checkGas: true makes the exact gas count', async () => {
    const file = path.join(dir, 'gas.test.json');
    const checked = JSON.parse(TEST_FILE);
    checked.storeAndDeploy.checkGas = true;
    writeFileSync(file, JSON.stringify(checked));
    const result = await runTestFile(file);
    expect(result.cases?.[0].message).toMatch(/gas: expected 12345, got \d+/);
  });

  it('convert to a scenario (setState, numbered transactions, checkState) that passes the same way', async () => {
    const file = path.join(dir, 'convert.test.json');
    writeFileSync(file, TEST_FILE);
    const scenario = convertTestToScenario(parseTestFile(file));
    const text = writeScenario(scenario);
    expect(scenario.steps.map((s) => s.kind)).toEqual(['setState', 'scCall', 'scDeploy', 'checkState']);
    expect(text).toContain('"txId": "1"');
    expect(text).toContain('"checkGas": false');
    expect(JSON.parse(text).steps[2].tx).toEqual({
      from: OWNER,
      value: '0',
      contractCode: 'file:contract.wasm',
      arguments: [],
      gasLimit: '100,000',
      gasPrice: '0',
    });
    const converted = path.join(dir, 'convert.scen.json');
    writeFileSync(converted, text);
    expect(parseScenario(text, { file: converted }).steps).toHaveLength(4);
    const result = await runScenario(converted);
    expect(result.message).toBeUndefined();
    expect(result.passed).toBe(true);
  });

  it('refuses a file with two tests for conversion, and names the path of a bad block', () => {
    const two = parseTest({ a: {}, b: {} });
    expect(() => convertTestToScenario(two)).toThrow(/only one test per file/);
    expect(() =>
      parseTest({ t: { blocks: [{ transactions: [{ to: '', function: 'f', from: OWNER }], results: [{}] }] } }),
    ).toThrow(/\$\["t"\]\.blocks\[0\]\.transactions\[0\]\.function: a deploy has no function/);
    expect(() => parseTest({ t: { blocks: [{ transactions: [], results: [{}] }] } })).toThrow(ScenarioError);
  });
});
