/**
 * Comparing two recorded performances: the shell works the comparison out (outputs word by word,
 * the recorded scores line by line) and the studio shows it until closed.
 */
import { createStore } from "zustand/vanilla";
import type { Comparison } from "../bindings/Comparison";
import { errorMessage, ipc } from "../ipc";
import { notify } from "./notices";

export const comparing = createStore<{ comparison: Comparison | null; loading: boolean }>(() => ({ comparison: null, loading: false }));

/** Opens the comparison of `left` (the earlier, usually) with `right`. */
export async function openComparison(left: string, right: string): Promise<void> {
  comparing.setState({ loading: true });
  try {
    const comparison = await ipc.comparePerformances(left, right);
    comparing.setState({ comparison, loading: false });
  } catch (error) {
    comparing.setState({ loading: false });
    notify(`The performances could not be compared: ${errorMessage(error)}`, "error");
  }
}

/** Compares `id` with the performance of the same score that started just before it. */
export async function compareWithPrevious(id: string): Promise<void> {
  try {
    const previous = await ipc.previousPerformance(id);
    if (!previous) {
      notify("No earlier performance of this score is recorded to compare with.", "info");
      return;
    }
    await openComparison(previous, id);
  } catch (error) {
    notify(`The previous performance could not be found: ${errorMessage(error)}`, "error");
  }
}

export function closeComparison(): void {
  comparing.setState({ comparison: null });
}
