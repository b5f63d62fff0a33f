/**
 * The legacy `.test.json` format (scenario-format.md §10; the reference's `ExecuteTest` and `ConvertTestToScenario`):
 * per test the world is cleared, `pre` and `blockHashes` set, every block's transactions run (an empty `to` is a
 * deploy) with their results checked in order, then `postState` checked.
 */
import type { ScenarioExecutor } from './executor';
import { ScenarioError } from './valueExpression';
import { isDeploy, type LegacyTest, type Scenario, type Step, type TestFile, type Tx, type TxStep } from './model';

export interface TestCaseResult {
  readonly name: string;
  readonly passed: boolean;
  readonly message?: string;
}

/** The transaction as a scenario step: deploy or call, with the scenario's fields only (a legacy nonce is dropped). */
function txStep(tx: Tx, txId: string, expect: TxStep['expect']): TxStep {
  const deploy = isDeploy(tx);
  return {
    kind: deploy ? 'scDeploy' : 'scCall',
    txId,
    tx: deploy
      ? {
          from: tx.from,
          value: tx.value,
          contractCode: tx.contractCode,
          arguments: tx.arguments ?? [],
          gasLimit: tx.gasLimit,
          gasPrice: tx.gasPrice,
        }
      : {
          from: tx.from,
          to: tx.to,
          value: tx.value,
          function: tx.function,
          arguments: tx.arguments ?? [],
          gasLimit: tx.gasLimit,
          gasPrice: tx.gasPrice,
        },
    expect,
  };
}

/** Runs one test case on the executor's world (cleared first). Runner errors are failures too. */
export async function runLegacyTest(test: LegacyTest, executor: ScenarioExecutor): Promise<TestCaseResult> {
  executor.world.clear();
  executor.checkGas = test.checkGas ?? true;
  const setup: Step = { kind: 'setState', accounts: test.pre ?? [], blockHashes: test.blockHashes ?? [] };
  // Block info is kept across tests, as the reference's World.Clear() keeps it.
  const { previousBlock, currentBlock } = executor.world;
  await executor.executeStep(setup);
  executor.world.previousBlock = previousBlock;
  executor.world.currentBlock = currentBlock;
  try {
    for (const [b, block] of (test.blocks ?? []).entries()) {
      for (const [i, tx] of (block.transactions ?? []).entries()) {
        const result = await executor.executeStep(txStep(tx, `${i}`, block.results?.[i]));
        if (!result.passed)
          return {
            name: test.name,
            passed: false,
            message: `block ${b} transaction ${i}: unexpected result:\n  ${result.differences.join('\n  ')}`,
          };
      }
    }
    if (test.postState) {
      const result = await executor.executeStep({ kind: 'checkState', accounts: test.postState });
      if (!result.passed)
        return { name: test.name, passed: false, message: `postState differs:\n  ${result.differences.join('\n  ')}` };
    }
    return { name: test.name, passed: true };
  } catch (error) {
    if (error instanceof ScenarioError) return { name: test.name, passed: false, message: error.message };
    throw error;
  }
}

/**
 * A test file as a scenario (the reference's `convertTestToScenario`): one setState (pre, blockHashes), the
 * transactions numbered from 1, one checkState (postState). One test per file, as the reference requires; several
 * blocks are accepted and numbered on (the reference takes one).
 */
export function convertTestToScenario(file: TestFile): Scenario {
  if (file.tests.length !== 1)
    throw new TypeError(`only one test per file can become a scenario (found ${file.tests.length})`);
  const [test] = file.tests;
  const steps: Step[] = [
    {
      kind: 'setState',
      ...(test.pre?.length ? { accounts: test.pre } : {}),
      ...(test.blockHashes?.length ? { blockHashes: test.blockHashes } : {}),
    },
  ];
  let n = 0;
  for (const block of test.blocks ?? [])
    for (const [i, tx] of (block.transactions ?? []).entries()) steps.push(txStep(tx, `${++n}`, block.results?.[i]));
  steps.push({ kind: 'checkState', accounts: test.postState ?? { accounts: [] } });
  return { name: test.name, ...(test.checkGas === false ? { checkGas: false } : {}), steps };
}
