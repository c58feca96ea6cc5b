/**
 * Keyboard shortcuts of the studio. Undo and redo always act on the document (also inside a
 * text field, where the document is what holds the text); clipboard, delete, select-all and fit
 * act on the canvas only when no text field or dialog has the focus, so typing keeps working.
 * The Share menu (Ctrl+Shift+E) and Copy as image (Ctrl+Shift+C) work from anywhere.
 */
import { copyAsImage } from "../share/actions";
import { openShareMenu } from "../share/menu";
import { newScore, openDialog, saveAs, saveScore } from "./files";
import { actions, documentStore } from "./studio";

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "submit"].includes(type);
}

function inDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("dialog[open]") !== null;
}

/** Handles `event` if it is a studio shortcut; returns whether it did. */
export function handleShortcut(event: KeyboardEvent): boolean {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const hasScore = documentStore.getState().score !== null;
  const run = (f: () => unknown) => {
    event.preventDefault();
    f();
    return true;
  };
  if (mod && key === "n") return run(() => void newScore());
  if (mod && key === "o") return run(() => void openDialog());
  if (mod && event.shiftKey && key === "e") return run(openShareMenu);
  if (!hasScore) return false;
  if (mod && event.shiftKey && key === "c") return run(() => void copyAsImage());
  if (mod && key === "s") return run(() => void (event.shiftKey ? saveAs() : saveScore()));
  if (mod && key === "z") return run(() => (event.shiftKey ? actions.redo() : actions.undo()));
  if (mod && key === "y") return run(() => actions.redo());
  // Keys in a text field or an open dialog are theirs (Escape closes a dialog).
  if (typing(event.target) || inDialog(event.target)) return false;
  if (mod && key === "c") return run(() => actions.copy());
  if (mod && key === "v") return run(() => actions.paste());
  if (mod && key === "d") return run(() => actions.duplicate());
  if (mod && key === "a") return run(() => actions.selectAll());
  if (!mod && (key === "delete" || key === "backspace")) return run(() => actions.deleteSelection());
  if (!mod && !event.altKey && key === "f") return run(() => actions.focusSelection());
  if (!mod && key === "escape") return run(() => actions.select({ players: [], sections: [], cues: [] }));
  return false;
}
