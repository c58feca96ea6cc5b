/**
 * Re-running a recorded performance from one player: the shell stages the fork (the players
 * before it are carried over with their recorded outputs) and conducts it like any performance,
 * so it streams into the live view and takes the same controls.
 */
import type { Summary } from "../bindings/Summary";
import { errorMessage, ipc } from "../ipc";
import { notify } from "./notices";
import { IDLE, performance, take } from "./performance";
import { settings } from "./settings";

/**
 * Starts the fork of `from` at `player`; with `scorePath`, the score file as it is now plays
 * instead of the score recorded with `from`. Returns whether it is conducting.
 */
export async function forkPerformance(from: Pick<Summary, "id" | "offline">, player: string, scorePath: string | null = null): Promise<boolean> {
  if (performance.getState().running) {
    notify("Another performance is playing; cut it off or let it finish before re-running one.", "error");
    return false;
  }
  const shown = performance.getState();
  performance.setState({ ...IDLE, running: true, offline: from.offline, forked: { from: from.id, player } });
  try {
    const id = await ipc.forkPerformance(from.id, player, from.offline, scorePath, settings.getState().bounds, take);
    performance.setState({ id });
    return true;
  } catch (error) {
    performance.setState(shown, true);
    notify(`The performance could not be re-run from ${player}: ${errorMessage(error)}`, "error");
    return false;
  }
}
