/**
 * The WebAssembly JS API types this package's declarations name. Node.js has the WebAssembly global but
 * @types/node does not type it (TypeScript's DOM lib does), so a consumer compiling with `lib: ["es2022"]` and
 * `skipLibCheck: false` could not check them (TS2503). Declared opaque here; they merge with the DOM lib's.
 */
// A global augmentation must be a namespace, and opaque interfaces are what merges with any lib's.
/* eslint-disable @typescript-eslint/no-namespace, @typescript-eslint/no-empty-object-type */
declare global {
  namespace WebAssembly {
    interface Module {}
    interface Instance {}
    interface Memory {}
    interface Global {}
  }
}

export {};
