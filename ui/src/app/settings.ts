/**
 * Settings of the studio (endpoints, defaults for new players, the limits of each attempt, theme,
 * recent files), kept by
 * the store plugin in `settings.json`. They never hold a secret: keys go to the keychain.
 * When the store cannot be reached the studio keeps working with the settings in memory.
 */
import { load, type Store } from "@tauri-apps/plugin-store";
import { createStore } from "zustand/vanilla";
import type { AttemptBounds } from "../bindings/AttemptBounds";
import { FACTORY_DEFAULTS, type PlayerDefaults } from "../score/templates";
import { DEFAULT_BOUNDS, storedBounds } from "./bounds";

export type Theme = "light" | "dark" | "system";

export type Settings = {
  theme: Theme;
  defaults: PlayerDefaults;
  anthropicBaseUrl: string;
  recent: string[];
  /** Whether the canvas shows its overview map. */
  minimap: boolean;
  /** What every attempt of a performance plays within (see `bounds.ts`). */
  bounds: AttemptBounds;
  /** The OTLP/HTTP receiver "Send traces" posts a performance to (e.g. `http://localhost:4318`); empty when none. */
  otlpEndpoint: string;
};

export const DEFAULT_SETTINGS: Settings = {
  theme: "system",
  defaults: FACTORY_DEFAULTS,
  anthropicBaseUrl: "https://api.anthropic.com",
  recent: [],
  minimap: true,
  bounds: DEFAULT_BOUNDS,
  otlpEndpoint: "",
};

const RECENT_LIMIT = 8;

export const settings = createStore<Settings>(() => DEFAULT_SETTINGS);

let backing: Store | null = null;

export async function loadSettings(): Promise<void> {
  try {
    backing = await load("settings.json", { autoSave: 200, defaults: {} });
    const stored = await backing.get<Partial<Settings>>("settings");
    if (stored) {
      settings.setState({
        ...DEFAULT_SETTINGS,
        ...stored,
        defaults: { ...FACTORY_DEFAULTS, ...(stored.defaults ?? {}) },
        recent: Array.isArray(stored.recent) ? stored.recent.filter((r) => typeof r === "string") : [],
        minimap: typeof stored.minimap === "boolean" ? stored.minimap : DEFAULT_SETTINGS.minimap,
        bounds: storedBounds(stored.bounds),
        otlpEndpoint: typeof stored.otlpEndpoint === "string" ? stored.otlpEndpoint : "",
      });
    }
  } catch {
    backing = null;
  }
  applyTheme(settings.getState().theme);
}

export function updateSettings(change: Partial<Settings>): void {
  settings.setState(change);
  if (change.theme) applyTheme(change.theme);
  backing?.set("settings", settings.getState()).catch(() => {
    // Keeping settings only in memory is not worth interrupting anyone's work for.
  });
}

export function rememberRecent(path: string): void {
  const recent = [path, ...settings.getState().recent.filter((p) => p !== path)].slice(0, RECENT_LIMIT);
  updateSettings({ recent });
}

export function applyTheme(theme: Theme): void {
  if (typeof document === "undefined") return;
  const dark =
    theme === "dark" || (theme === "system" && window.matchMedia?.("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}
