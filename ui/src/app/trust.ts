/**
 * Trust before a score reaches beyond itself: running programs, sending a named key to a host,
 * reading outside its own folder. The shell refuses to perform such a score until the person
 * trusts all of it; the studio asks first, listing each, when the score is opened and again when
 * it is performed, and performs only after "Trust and allow". The lists arrive from the shell
 * already quoted and escaped; React shows them as text. Rehearsal (offline) never asks.
 */
import { createStore } from "zustand/vanilla";
import type { Score } from "../bindings/Score";
import type { ScoreTrust } from "../bindings/ScoreTrust";
import { errorMessage, ipc } from "../ipc";
import { notify } from "./notices";
import { startPerformance } from "./performance";
import { closeReplay } from "./replay";
import { documentStore } from "./studio";

export type TrustRequest = {
  score: Score;
  path: string | null;
  /** What the score would do: programs, key sends, reads outside its folder. */
  reach: Pick<ScoreTrust, "programs" | "key_sends" | "outside_reads">;
  /** Set when the request stands between the person and a performance. */
  perform: boolean;
};

export const trust = createStore<{ request: TrustRequest | null }>(() => ({ request: null }));

/** Asks the shell whether `score` would do anything untrusted; shows the banner when it would. */
async function ask(score: Score, path: string | null, perform: boolean): Promise<boolean> {
  const answer = await ipc.scoreTrust(score, path);
  if (!answer.needed || answer.trusted) return true;
  const reach = { programs: answer.programs, key_sends: answer.key_sends, outside_reads: answer.outside_reads };
  trust.setState({ request: { score, path, reach, perform } });
  return false;
}

export async function checkTrust(score: Score, path: string | null): Promise<void> {
  try {
    await ask(score, path, false);
  } catch {
    // Not knowing is not a reason to interrupt: performing asks the shell again, and it refuses.
  }
}

/** Performs the score, asking for trust first when it would do what nobody trusted yet. */
export async function performScore(score: Score, path: string | null, offline: boolean): Promise<void> {
  if (!offline) {
    try {
      if (!(await ask(score, path, true))) return;
    } catch {
      // The shell checks trust again before it performs, and says so when it refuses.
    }
  }
  trust.setState({ request: null });
  closeReplay(); // the canvas shows the new performance, not an old one
  await startPerformance(score, path, offline);
}

/** "Trust and allow": records the trust, then performs if that is what was asked for. */
export async function allow(): Promise<void> {
  const request = trust.getState().request;
  if (!request) return;
  try {
    await ipc.trustScore(request.score, request.path);
  } catch (error) {
    notify(`The score could not be trusted: ${errorMessage(error)}`, "error");
    return;
  }
  trust.setState({ request: null });
  if (request.perform) {
    closeReplay();
    await startPerformance(request.score, request.path, false);
  }
  else notify("It may now do all of that when you perform it.");
}

export function notNow(): void {
  trust.setState({ request: null });
}

/** Asks about every newly opened score; a banner about another score goes away. */
export function watchTrust(): () => void {
  return documentStore.subscribe((state, previous) => {
    if (state.key === previous.key) return;
    trust.setState({ request: null });
    if (state.score) void checkTrust(state.score, state.path);
  });
}
