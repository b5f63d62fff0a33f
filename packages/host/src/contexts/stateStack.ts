/**
 * The reference contexts' state stack (arwen/contexts/*.go, `StateStack`): a nested call pushes the state, and
 * when it ends the state is either put back (failure), merged with what the call did (success of a
 * destination-context call) or dropped (what the call did stays).
 */
export interface StateStack {
  /** Saves the active state. */
  pushState(): void;
  /** Back to the saved state. */
  popSetActiveState(): void;
  /** Merges the saved state into the active one (what this merge keeps is each context's own rule). */
  popMergeActiveState(): void;
  /** Drops the saved state; the active one stays. */
  popDiscard(): void;
}
