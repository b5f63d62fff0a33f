/**
 * The state of decoding one JSON message, passed explicitly from the parse through validation to the decoder
 * (never module-level): whether the parse marked long integers (goJson.ts), and the long base64 strings already
 * decoded while validating, kept for the decoder's next step (base64.ts).
 */
export interface DecodeState {
  /** The parsed value holds marked strings for integers beyond 2^53 (read only through integerValue). */
  readonly marked: boolean;
  /** Long base64 strings decoded by the validator, each handed out once by base64Bytes. */
  readonly remembered: { text: string; bytes: Buffer }[];
}

export const decodeState = (marked: boolean): DecodeState => ({ marked, remembered: [] });
