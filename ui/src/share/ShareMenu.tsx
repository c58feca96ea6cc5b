/**
 * The Share menu: a toolbar button with a small popover of exports, "Copy as image", "Open
 * bundle…" and "Import from CrewAI or LangGraph…". Reachable from the keyboard: Ctrl+Shift+E opens it, the arrow keys, Home and
 * End move between items, Enter picks one, Escape closes it and gives the focus back to the
 * button. The popover is placed over the page (the toolbar clips what overflows it).
 */
import { Share2 } from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { useStore } from "zustand";
import { useDocument } from "../app/studio";
import { copyAsImage, exportAs, openBundleDialog } from "./actions";
import { testPath } from "./destination";
import { FindingsDialog } from "./FindingsDialog";
import { ImportReportDialog } from "./ImportReportDialog";
import { importDialog } from "./imports";
import { SHARE_FORMATS } from "./formats";
import { closeShareMenu, shareMenu } from "./menu";
import "./share.css";

type Item = { id: string; label: string; keys?: string; run: () => void; disabled: boolean; groupStart?: boolean };

const MENU_WIDTH = 250;

export function ShareMenu({ testPaths }: { testPaths: boolean }) {
  const open = useStore(shareMenu, (s) => s.open);
  const hasScore = useDocument((s) => s.score !== null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState({ top: 0, left: 0 });

  // Destinations come from the test path field when the studio runs for end-to-end tests.
  useEffect(() => testPath.setState({ enabled: testPaths }), [testPaths]);

  const pictures = SHARE_FORMATS.filter((f) => ["svg", "png", "png2x"].includes(f.format));
  const files = SHARE_FORMATS.filter((f) => !pictures.includes(f));
  const exportItem = (f: (typeof SHARE_FORMATS)[number]): Item => ({
    id: f.format,
    label: f.label,
    run: () => void exportAs(f.format),
    disabled: !hasScore,
    groupStart: f.groupStart,
  });
  const items: Item[] = [
    ...pictures.map(exportItem),
    { id: "copy", label: "Copy as image", keys: "Ctrl+Shift+C", run: () => void copyAsImage(), disabled: !hasScore },
    ...files.map(exportItem),
    { id: "open-bundle", label: "Open bundle…", run: () => void openBundleDialog(), disabled: false, groupStart: true },
    { id: "import", label: "Import from CrewAI or LangGraph…", run: () => void importDialog(), disabled: false },
  ];

  useLayoutEffect(() => {
    if (!open) return;
    const rect = button.current?.getBoundingClientRect();
    if (rect) setPlace({ top: rect.bottom + 4, left: Math.max(4, Math.min(rect.left, window.innerWidth - MENU_WIDTH - 8)) });
    menu.current?.querySelector<HTMLButtonElement>("button:not(:disabled)")?.focus();
  }, [open]);

  // A press anywhere else, or the window changing size, closes the menu. Listened for on the
  // way down: the canvas stops presses from bubbling up.
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) closeShareMenu();
    };
    window.addEventListener("pointerdown", outside, true);
    window.addEventListener("resize", closeShareMenu);
    return () => {
      window.removeEventListener("pointerdown", outside, true);
      window.removeEventListener("resize", closeShareMenu);
    };
  }, [open]);

  const close = () => {
    closeShareMenu();
    button.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const enabled = [...(menu.current?.querySelectorAll<HTMLButtonElement>("button:not(:disabled)") ?? [])];
    const at = enabled.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      enabled[(to + enabled.length) % enabled.length]?.focus();
    };
    // The studio's shortcuts must not act on the canvas while the menu has the keys.
    event.stopPropagation();
    if (event.key === "ArrowDown") move(at + 1);
    else if (event.key === "ArrowUp") move(at - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(enabled.length - 1);
    else if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") closeShareMenu();
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className={`icon${open ? " pressed" : ""}`}
        title="Share… (Ctrl+Shift+E)"
        aria-label="Share… (Ctrl+Shift+E)"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="share"
        onClick={() => (open ? closeShareMenu() : shareMenu.setState({ open: true }))}
      >
        <Share2 size={16} />
      </button>
      {open &&
        createPortal(
          <div
            ref={menu}
            className="share-menu"
            role="menu"
            aria-label="Share"
            data-testid="share-menu"
            style={{ top: place.top, left: place.left, width: MENU_WIDTH }}
            onKeyDown={onKeyDown}
          >
            {items.map((item) => (
              <button
                key={item.id}
                type="button"
                role="menuitem"
                className={item.groupStart ? "group-start" : undefined}
                disabled={item.disabled}
                data-testid={`share-${item.id}`}
                onClick={() => {
                  close();
                  item.run();
                }}
              >
                <span>{item.label}</span>
                {item.keys && <kbd>{item.keys}</kbd>}
              </button>
            ))}
          </div>,
          document.body,
        )}
      {/* Outside the toolbar, whose one-row styles would cut the dialog's text short. */}
      {createPortal(<FindingsDialog />, document.body)}
      {createPortal(<ImportReportDialog />, document.body)}
    </>
  );
}
