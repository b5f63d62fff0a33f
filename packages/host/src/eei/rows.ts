/** Every host function, one table (the import object, the import check and the reserved export names derive from it). */
import { ASYNC_EEI } from './async';
import { BIG_INT_EEI } from './bigInt';
import { CRYPTO_EEI } from './crypto';
import { ETHEREUM_EEI } from './ethereum';
import { MAIN_EEI } from './main';
import { NESTED_EEI } from './nested';
import type { EeiRow } from './table';

export const EEI_ROWS: readonly EeiRow[] = Object.freeze([
  ...MAIN_EEI,
  ...NESTED_EEI,
  ...ASYNC_EEI,
  ...BIG_INT_EEI,
  ...CRYPTO_EEI,
  ...ETHEREUM_EEI,
]);
