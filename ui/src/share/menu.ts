/** Whether the Share menu is open: the toolbar button and Ctrl+Shift+E open it. */
import { createStore } from "zustand/vanilla";

export const shareMenu = createStore<{ open: boolean }>(() => ({ open: false }));

export function openShareMenu(): void {
  shareMenu.setState({ open: true });
}

export function closeShareMenu(): void {
  shareMenu.setState({ open: false });
}
