import wabtInit from 'wabt';

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabt: Promise<Wabt> | undefined;

const FEATURES = {
  mutable_globals: true,
  sign_extension: true,
  sat_float_to_int: true,
  bulk_memory: true,
  simd: true,
  multi_value: true,
  reference_types: true,
  threads: true,
};

/** Compiles WAT text to a wasm binary (wabt keeps the encoding exactly as written). Set `validate: false` for broken modules. */
export async function wat(text: string, { validate = true } = {}): Promise<Uint8Array> {
  const tools = await (wabt ??= wabtInit());
  const module = tools.parseWat('contract.wat', text, FEATURES);
  try {
    if (validate) module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** Prints a wasm binary as WAT (wabt's wasm2wat, flat instructions, exports apart), for golden files. */
export async function wasmToWat(bytes: Uint8Array): Promise<string> {
  const tools = await (wabt ??= wabtInit());
  const module = tools.readWasm(bytes, { readDebugNames: false, ...FEATURES });
  try {
    return module.toText({ foldExprs: false, inlineExport: false });
  } finally {
    module.destroy();
  }
}
