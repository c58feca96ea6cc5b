/**
 * The document: the open score, its file, the selection and the undo history. It is the only
 * source of truth for the score; the canvas, inspector and panels are views computed from it,
 * and every change goes through `edit`, which is what makes every change undoable.
 *
 * History holds whole immutable snapshots (edits copy only what they touch, so snapshots share
 * everything else). Rapid edits with the same coalescing key (typing in one field, one drag)
 * become one undo step.
 */
import { createStore } from "zustand/vanilla";
import { GEOMETRY } from "../bindings/canvasGeometry";
import type { Cue } from "../bindings/Cue";
import type { Intent } from "../bindings/Intent";
import type { Player } from "../bindings/Player";
import type { Position } from "../bindings/Position";
import type { Score } from "../bindings/Score";
import type { Section } from "../bindings/Section";
import type { SharedContext } from "../bindings/SharedContext";
import type { Size } from "../bindings/Size";
import type { Zone } from "../bindings/Zone";
import { copyFragment, pasteFragment, type Fragment } from "../score/clipboard";
import { reseat } from "../score/containment";
import { uniqueId } from "../score/ids";
import { cueIndex, cueKey, cueKeys, type CueKey } from "../score/keys";
import { tidy } from "../score/layout";
import { removeSelection } from "../score/remove";
import { EMPTY_SELECTION, isEmpty, type Selection } from "../score/selection";
import { playerFromTemplate, templateById, type PlayerDefaults } from "../score/templates";
import { ZONE_INFO } from "../score/zones";

/** Edits with the same key within this time merge into one undo step. */
export const COALESCE_MS = 1000;
const HISTORY_LIMIT = 500;
const PASTE_OFFSET = 40;

export type EditOptions = { coalesce?: string; windowMs?: number };

/** Where dragged players and sections are now, by id. */
export type Moved = { players: Map<string, Position>; sections: Map<string, Position> };

export type DocumentState = {
  score: Score | null;
  path: string | null;
  /** Identifies this document's autosave; new for every opened or created document. */
  key: string;
  /** The snapshot last saved or opened; the document is dirty while `score` is another one. */
  saved: Score | null;
  past: Score[];
  future: Score[];
  lastEdit: { key: string; at: number; windowMs: number } | null;
  selection: Selection;
  clipboard: Fragment | null;
  /** Bumped to ask the canvas to centre on the selection. */
  focusTick: number;
};

function newKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `doc-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function createDocument() {
  return createStore<DocumentState>(() => ({
    score: null,
    path: null,
    key: newKey(),
    saved: null,
    past: [],
    future: [],
    lastEdit: null,
    selection: EMPTY_SELECTION,
    clipboard: null,
    focusTick: 0,
  }));
}

export type DocumentStore = ReturnType<typeof createDocument>;

export function isDirty(state: DocumentState): boolean {
  return state.score !== null && state.score !== state.saved;
}

/** The operations on a document; plain functions over the store so tests drive them directly. */
export function documentActions(store: DocumentStore) {
  const get = store.getState;
  const set = store.setState;

  /** Applies `recipe` to the score as one undo step (or part of the last one, when coalescing). */
  function edit(recipe: (score: Score) => Score, options: EditOptions = {}): void {
    const { score, past, lastEdit } = get();
    if (!score) return;
    const next = recipe(score);
    if (next === score) return;
    const now = Date.now();
    const merge =
      options.coalesce !== undefined &&
      lastEdit !== null &&
      lastEdit.key === options.coalesce &&
      now - lastEdit.at <= lastEdit.windowMs;
    set({
      score: next,
      past: merge ? past : [...past, score].slice(-HISTORY_LIMIT),
      future: [],
      lastEdit: options.coalesce
        ? { key: options.coalesce, at: now, windowMs: options.windowMs ?? COALESCE_MS }
        : null,
    });
  }

  function updatePlayers(score: Score, ids: ReadonlySet<string>, change: (p: Player) => Player): Score {
    return { ...score, players: score.players.map((p) => (ids.has(p.id) ? change(p) : p)) };
  }

  const actions = {
    edit,

    load(score: Score, path: string | null, options: { dirty?: boolean; key?: string } = {}): void {
      set({
        score,
        path,
        key: options.key ?? newKey(),
        saved: options.dirty ? null : score,
        past: [],
        future: [],
        lastEdit: null,
        selection: EMPTY_SELECTION,
      });
    },

    close(): void {
      set({ score: null, path: null, saved: null, past: [], future: [], lastEdit: null, selection: EMPTY_SELECTION });
    },

    markSaved(path: string, score: Score): void {
      set({ path, saved: score });
    },

    /** Ends coalescing, so the next edit starts a new undo step (a field lost focus, a drag ended). */
    settle(): void {
      set({ lastEdit: null });
    },

    undo(): void {
      const { score, past, future } = get();
      if (!score || past.length === 0) return;
      set({ score: past[past.length - 1], past: past.slice(0, -1), future: [score, ...future], lastEdit: null });
      actions.pruneSelection();
    },

    redo(): void {
      const { score, past, future } = get();
      if (!score || future.length === 0) return;
      set({ score: future[0], past: [...past, score], future: future.slice(1), lastEdit: null });
      actions.pruneSelection();
    },

    /** Drops selected things that no longer exist (after undo, redo or delete). */
    pruneSelection(): void {
      const { score, selection } = get();
      if (!score || isEmpty(selection)) return;
      const players = new Set(score.players.map((p) => p.id));
      const sections = new Set(score.sections.map((s) => s.id));
      const cues = new Set(cueKeys(score.cues));
      set({
        selection: {
          players: selection.players.filter((id) => players.has(id)),
          sections: selection.sections.filter((id) => sections.has(id)),
          cues: selection.cues.filter((key) => cues.has(key)),
        },
      });
    },

    select(selection: Selection, options: { focus?: boolean } = {}): void {
      set((s) => ({ selection, focusTick: options.focus ? s.focusTick + 1 : s.focusTick }));
    },

    selectAll(): void {
      const { score } = get();
      if (!score) return;
      set({
        selection: {
          players: score.players.map((p) => p.id),
          sections: score.sections.map((s) => s.id),
          cues: cueKeys(score.cues),
        },
      });
    },

    copy(): void {
      const { score, selection } = get();
      if (!score || isEmpty(selection)) return;
      set({ clipboard: copyFragment(score, selection) });
    },

    paste(): void {
      const { score, clipboard } = get();
      if (!score || !clipboard) return;
      const result = pasteFragment(score, clipboard, { x: PASTE_OFFSET, y: PASTE_OFFSET });
      edit(() => reseatLoose(result));
      // Pasting again pastes one step further along, not on top of the last paste.
      set({ selection: result.selection, clipboard: shiftFragment(clipboard, PASTE_OFFSET) });
    },

    duplicate(): void {
      const { score, selection } = get();
      if (!score || isEmpty(selection)) return;
      const result = pasteFragment(score, copyFragment(score, selection), { x: PASTE_OFFSET, y: PASTE_OFFSET });
      edit(() => reseatLoose(result));
      set({ selection: result.selection });
    },

    deleteSelection(): void {
      const { selection } = get();
      if (isEmpty(selection)) return;
      edit((score) => removeSelection(score, selection));
      set({ selection: EMPTY_SELECTION });
    },

    addPlayer(templateId: string, position: Position, defaults: PlayerDefaults): string | undefined {
      const { score } = get();
      const template = templateById(templateId);
      if (!score || !template) return undefined;
      const id = uniqueId(template.id.replace(/^kind-/, ""), new Set(score.players.map((p) => p.id)));
      const player = playerFromTemplate(template, id, position, defaults);
      edit((s) => reseat({ ...s, players: [...s.players, player] }, new Set([id])));
      set({ selection: { ...EMPTY_SELECTION, players: [id] } });
      return id;
    },

    addSection(zone: Zone, position: Position): string | undefined {
      const { score } = get();
      if (!score) return undefined;
      const id = uniqueId(zone, new Set(score.sections.map((s) => s.id)));
      const section: Section = {
        id,
        name: ZONE_INFO[zone].title,
        zone,
        position,
        size: { width: GEOMETRY.default_section_width, height: GEOMETRY.default_section_height },
      };
      edit((s) => ({ ...s, sections: [...s.sections, section] }));
      set({ selection: { ...EMPTY_SELECTION, sections: [id] } });
      return id;
    },

    /** Draws a cue; a cue that already exists or cues a player to itself is not added twice. */
    connect(from: string, to: string): void {
      const { score } = get();
      if (!score || from === to) return;
      if (score.cues.some((c) => c.from === from && c.to === to)) return;
      edit((s) => ({ ...s, cues: [...s.cues, { from, to }] }));
      set({ selection: { ...EMPTY_SELECTION, cues: [cueKey({ from, to })] } });
    },

    /**
     * Moves players and sections to new positions, as one undo step per `gesture`. A moved
     * section carries the players sitting in it. With `done`, moved players are re-seated by
     * where they were dropped.
     */
    move(moved: Moved, gesture: string, done: boolean): void {
      edit(
        (score) => {
          const shifts = new Map<string, Position>();
          const nextSections = score.sections.map((s) => {
            const to = moved.sections.get(s.id);
            if (!to || (to.x === s.position.x && to.y === s.position.y)) return s;
            shifts.set(s.id, { x: to.x - s.position.x, y: to.y - s.position.y });
            return { ...s, position: to };
          });
          let changed = shifts.size > 0;
          const nextPlayers = score.players.map((p) => {
            const to = moved.players.get(p.id);
            if (to) {
              if (to.x === p.position.x && to.y === p.position.y) return p;
              changed = true;
              return { ...p, position: to };
            }
            const shift = p.section !== undefined ? shifts.get(p.section) : undefined;
            if (!shift) return p;
            return { ...p, position: { x: p.position.x + shift.x, y: p.position.y + shift.y } };
          });
          let next = changed ? { ...score, sections: nextSections, players: nextPlayers } : score;
          if (done) {
            next = reseat(next, new Set(moved.players.keys()));
          }
          return next;
        },
        { coalesce: `move:${gesture}`, windowMs: Number.POSITIVE_INFINITY },
      );
      if (done) set({ lastEdit: null });
    },

    resizeSection(id: string, size: Size, position: Position | undefined, gesture: string, done: boolean): void {
      edit(
        (score) => {
          let next: Score = {
            ...score,
            sections: score.sections.map((s) =>
              s.id === id ? { ...s, size, position: position ?? s.position } : s,
            ),
          };
          // A frame resized around players takes them in (or lets them go).
          if (done) next = reseat(next, new Set(next.players.map((p) => p.id)));
          return next;
        },
        { coalesce: `resize:${gesture}`, windowMs: Number.POSITIVE_INFINITY },
      );
      if (done) set({ lastEdit: null });
    },

    updatePlayer(id: string, change: (p: Player) => Player, field?: string): void {
      edit((score) => updatePlayers(score, new Set([id]), change), {
        coalesce: field ? `player:${id}:${field}` : undefined,
      });
    },

    /** Renames a player's id and every cue that refers to it. */
    renamePlayer(id: string, newId: string): string | null {
      const { score } = get();
      const clean = newId.trim();
      if (!score || clean === id) return null;
      if (clean === "") return "An id cannot be empty.";
      if (score.players.some((p) => p.id === clean)) return `Another player already has the id "${clean}".`;
      edit((s) => ({
        ...s,
        players: s.players.map((p) => (p.id === id ? { ...p, id: clean } : p)),
        cues: s.cues.map((c) => ({
          ...c,
          from: c.from === id ? clean : c.from,
          to: c.to === id ? clean : c.to,
        })),
      }));
      set((st) => ({ selection: { ...st.selection, players: st.selection.players.map((p) => (p === id ? clean : p)) } }));
      return null;
    },

    updateCue(key: CueKey, change: (c: Cue) => Cue, field?: string): void {
      const { score } = get();
      if (!score) return;
      const index = cueIndex(score.cues, key);
      if (index < 0) return;
      edit((s) => ({ ...s, cues: s.cues.map((c, i) => (i === index ? change(c) : c)) }), {
        coalesce: field ? `cue:${key}:${field}` : undefined,
      });
    },

    updateSection(id: string, change: (s: Section) => Section, field?: string): void {
      edit(
        (score) => ({ ...score, sections: score.sections.map((s) => (s.id === id ? change(s) : s)) }),
        { coalesce: field ? `section:${id}:${field}` : undefined },
      );
    },

    updateTitle(title: string): void {
      edit((s) => ({ ...s, title }), { coalesce: "title" });
    },

    updateIntent(field: keyof Intent, value: string): void {
      edit(
        (s) => {
          const intent: Intent = { ...s.intent };
          if (field === "goal") intent.goal = value;
          else if (value === "") delete intent[field];
          else intent[field] = value;
          return { ...s, intent };
        },
        { coalesce: `intent:${field}` },
      );
    },

    updateContext(change: (c: SharedContext) => SharedContext, field?: string): void {
      edit((s) => ({ ...s, context: change({ ...s.context }) }), {
        coalesce: field ? `context:${field}` : undefined,
      });
    },

    tidy(): void {
      edit(tidy);
    },

    focusSelection(): void {
      set((s) => ({ focusTick: s.focusTick + 1 }));
    },
  };
  return actions;
}

/** Pasted players that came without their section sit wherever they landed. */
function reseatLoose(result: { score: Score; selection: Selection }): Score {
  const pastedSections = new Set(result.selection.sections);
  const loose = result.score.players.filter(
    (p) => result.selection.players.includes(p.id) && !(p.section !== undefined && pastedSections.has(p.section)),
  );
  return reseat(result.score, new Set(loose.map((p) => p.id)));
}

function shiftFragment(fragment: Fragment, by: number): Fragment {
  return {
    ...fragment,
    sections: fragment.sections.map((s) => ({ ...s, position: { x: s.position.x + by, y: s.position.y + by } })),
    players: fragment.players.map((p) => ({ ...p, position: { x: p.position.x + by, y: p.position.y + by } })),
  };
}

export type DocumentActions = ReturnType<typeof documentActions>;
