/** The inspector: edits whatever is selected (one player, cue or section). */
import { lazy, Suspense, useEffect, useState } from "react";
import { useStore } from "zustand";
import type { Cue } from "../bindings/Cue";
import type { Join } from "../bindings/Join";
import type { Player } from "../bindings/Player";
import type { Section } from "../bindings/Section";
import type { When } from "../bindings/When";
import type { Zone } from "../bindings/Zone";
import { settings } from "../app/settings";
import { actions, useDocument } from "../app/studio";
import { validation } from "../app/validation";
import { cueIndex, cueKey, type CueKey } from "../score/keys";
import { ZONE_INFO, ZONES } from "../score/zones";
import { NumberField, SelectField, TextField, withOptional } from "./fields";
import { InstrumentFields } from "./InstrumentFields";
import { ToolFields } from "./ToolFields";

// Loaded when a player is first selected: CodeMirror would otherwise be parsed and kept by every
// window, selected player or not (bench/README.md).
const PartEditor = lazy(() => import("./PartEditor").then((m) => ({ default: m.PartEditor })));

const zoneOptions = ZONES.map((z) => ({ value: z, label: `${ZONE_INFO[z].title} — ${ZONE_INFO[z].role}` }));

export function Inspector() {
  const score = useDocument((s) => s.score);
  const selection = useDocument((s) => s.selection);
  if (!score) return null;
  const count = selection.players.length + selection.sections.length + selection.cues.length;
  let body;
  if (count === 0) {
    body = <p className="empty">Select a player, cue or section to edit it. Ctrl+A selects everything.</p>;
  } else if (count > 1) {
    body = (
      <p className="empty">
        {selection.players.length} players, {selection.cues.length} cues and {selection.sections.length} sections
        selected. Ctrl+C copies, Ctrl+D duplicates, Delete removes them.
      </p>
    );
  } else if (selection.players.length === 1) {
    const player = score.players.find((p) => p.id === selection.players[0]);
    body = player ? <PlayerInspector player={player} sections={score.sections} /> : null;
  } else if (selection.cues.length === 1) {
    const cue = score.cues[cueIndex(score.cues, selection.cues[0])];
    body = cue ? <CueInspector cue={cue} cueKey={selection.cues[0]} /> : null;
  } else {
    const section = score.sections.find((s) => s.id === selection.sections[0]);
    body = section ? <SectionInspector section={section} /> : null;
  }
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      {body}
    </aside>
  );
}

function Problems({ of }: { of: string[] | undefined }) {
  if (!of || of.length === 0) return null;
  return (
    <ul className="inline-problems">
      {of.map((m, i) => (
        <li key={i}>⚠ {m}</li>
      ))}
    </ul>
  );
}

function PlayerInspector({ player, sections }: { player: Player; sections: Section[] }) {
  const problems = useStore(validation, (v) => v.byPlayer.get(player.id));
  const theme = useStore(settings, (s) => s.theme);
  const dark = typeof document !== "undefined" && document.documentElement.dataset.theme === "dark";
  const [idDraft, setIdDraft] = useState(player.id);
  const [idError, setIdError] = useState<string | null>(null);
  useEffect(() => {
    setIdDraft(player.id);
    setIdError(null);
  }, [player.id]);
  const update = (change: (p: Player) => Player, field: string) => actions.updatePlayer(player.id, change, field);
  const sectionZone = sections.find((s) => s.id === player.section)?.zone;
  return (
    <div className="inspect-player">
      <h2>Player</h2>
      <Problems of={problems?.map((p) => p.message)} />
      <TextField label="Name" testId="player-name" value={player.name} onChange={(v) => update((p) => ({ ...p, name: v }), "name")} />
      <div className="field">
        <label htmlFor="player-id">Id (cues refer to it)</label>
        <input
          id="player-id"
          value={idDraft}
          spellCheck={false}
          onChange={(e) => setIdDraft(e.target.value)}
          onBlur={() => setIdError(actions.renamePlayer(player.id, idDraft))}
          onKeyDown={(e) => {
            if (e.key === "Enter") setIdError(actions.renamePlayer(player.id, idDraft));
          }}
        />
        {idError && <div className="error">{idError}</div>}
      </div>
      <div className="row">
        <SelectField<Zone | "">
          label="Zone"
          testId="player-zone"
          value={player.zone ?? ""}
          options={[
            ...(player.section ? [{ value: "" as const, label: `Section's (${sectionZone ? ZONE_INFO[sectionZone].title : "?"})` }] : []),
            ...(player.section || player.zone ? [] : [{ value: "" as const, label: "— choose —" }]),
            ...zoneOptions,
          ]}
          onChange={(z) => update((p) => withOptional(p, "zone", z === "" ? undefined : z), "zone")}
        />
        <SelectField<Join>
          label="Starts when"
          value={player.join ?? "all"}
          options={[
            { value: "all", label: "all cues fired" },
            { value: "any", label: "any cue fired" },
          ]}
          onChange={(j) => update((p) => withOptional(p, "join", j === "all" ? undefined : j), "join")}
        />
      </div>
      <div className="row">
        <NumberField
          label="Timeout (s)"
          min={1}
          value={player.timeout_secs}
          onChange={(v) => update((p) => withOptional(p, "timeout_secs", v === undefined ? undefined : Math.max(1, Math.round(v))), "timeout")}
        />
        <NumberField
          label="Retries"
          min={0}
          value={player.retries}
          onChange={(v) => update((p) => withOptional(p, "retries", v === undefined ? undefined : Math.max(0, Math.round(v))), "retries")}
        />
      </div>
      <div className="field">
        <label>Part</label>
        <Suspense fallback={null}>
          <PartEditor key={player.id + theme} playerId={player.id} value={player.part} dark={dark} />
        </Suspense>
      </div>
      <InstrumentFields player={player} />
      <ToolFields player={player} />
    </div>
  );
}

function CueInspector({ cue, cueKey: key }: { cue: Cue; cueKey: CueKey }) {
  const problems = useStore(validation, (v) => v.byCue.get(cueKey(cue)));
  const update = (change: (c: Cue) => Cue, field: string) => actions.updateCue(key, change, field);
  return (
    <div className="inspect-cue">
      <h2>
        Cue {cue.from} → {cue.to}
      </h2>
      <Problems of={problems?.map((p) => p.message)} />
      <SelectField<When>
        label="Fires"
        testId="cue-when"
        value={cue.when ?? "always"}
        options={[
          { value: "always", label: "always" },
          { value: "success", label: `when ${cue.from} succeeds` },
          { value: "failure", label: `when ${cue.from} fails` },
          { value: "verdict", label: `when ${cue.from}'s verdict matches` },
        ]}
        onChange={(w) => update((c) => withOptional(c, "when", w === "always" ? undefined : w), "when")}
      />
      {cue.when === "verdict" && (
        <TextField
          label="Verdict (regular expression)"
          testId="cue-verdict"
          value={cue.verdict ?? ""}
          placeholder="CHANGES REQUESTED"
          onChange={(v) => update((c) => withOptional(c, "verdict", v), "verdict")}
        />
      )}
      <NumberField
        label="Repeat limit (makes it a loop cue)"
        testId="cue-repeats"
        min={1}
        value={cue.max_repeats}
        placeholder="no loop"
        onChange={(v) => update((c) => withOptional(c, "max_repeats", v === undefined ? undefined : Math.max(1, Math.round(v))), "repeats")}
        hint="Every cycle of cues needs one cue with a repeat limit."
      />
      <div className="field check">
        <label>
          <input
            type="checkbox"
            checked={cue.checkpoint ?? false}
            data-testid="cue-checkpoint"
            onChange={(e) => update((c) => withOptional(c, "checkpoint", e.target.checked ? true : undefined), "checkpoint")}
          />{" "}
          Checkpoint: the conductor approves the hand-off first
        </label>
      </div>
    </div>
  );
}

function SectionInspector({ section }: { section: Section }) {
  const problems = useStore(validation, (v) => v.bySection.get(section.id));
  const update = (change: (s: Section) => Section, field: string) => actions.updateSection(section.id, change, field);
  return (
    <div className="inspect-section">
      <h2>Section</h2>
      <Problems of={problems?.map((p) => p.message)} />
      <TextField label="Name" testId="section-name" value={section.name} onChange={(v) => update((s) => ({ ...s, name: v }), "name")} />
      <SelectField<Zone>
        label="Zone"
        testId="section-zone"
        value={section.zone}
        options={zoneOptions}
        onChange={(z) => update((s) => ({ ...s, zone: z }), "zone")}
      />
      <p className="hint">
        {ZONE_INFO[section.zone].title}: {ZONE_INFO[section.zone].role}. Players in this section play in its zone unless they
        name their own.
      </p>
    </div>
  );
}
