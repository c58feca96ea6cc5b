/**
 * Player templates of the palette: a few common roles with a starting part, and one per
 * instrument kind. New players take their instrument from the settings' defaults, so a fresh
 * studio composes scores that perform offline (rehearsal) until endpoints are configured.
 */
import type { Instrument } from "../bindings/Instrument";
import type { Player } from "../bindings/Player";
import type { Position } from "../bindings/Position";
import type { Zone } from "../bindings/Zone";

export type InstrumentKind = Instrument["kind"];
export const INSTRUMENT_KINDS: InstrumentKind[] = ["rehearsal", "openai", "anthropic", "command", "human"];

/** Where new players' instruments point by default; kept in the settings. */
export type PlayerDefaults = {
  kind: InstrumentKind;
  openaiBaseUrl: string;
  openaiModel: string;
  anthropicModel: string;
  timeoutSecs?: number;
  retries?: number;
};

export const FACTORY_DEFAULTS: PlayerDefaults = {
  kind: "rehearsal",
  openaiBaseUrl: "http://127.0.0.1:11434/v1",
  openaiModel: "llama3.2",
  anthropicModel: "claude-sonnet-4-5",
};

export type PlayerTemplate = {
  id: string;
  title: string;
  hint: string;
  zone?: Zone;
  part: string;
  /** A fixed instrument kind; otherwise the defaults choose. */
  kind?: InstrumentKind;
};

export const PLAYER_TEMPLATES: PlayerTemplate[] = [
  {
    id: "coder",
    title: "Coder",
    hint: "writes the change",
    zone: "integrator",
    part: "You write the code the intent asks for. Hand on a short summary of what you changed and why.",
  },
  {
    id: "reviewer",
    title: "Reviewer",
    hint: "checks and gives a verdict",
    zone: "improver",
    part: "You review the work you are handed against the intent. End with one line: APPROVED or CHANGES REQUESTED, with reasons.",
  },
  {
    id: "researcher",
    title: "Researcher",
    hint: "finds what is known",
    zone: "innovator",
    part: "You find what is already known about the goal and list the options, with sources and trade-offs.",
  },
  {
    id: "tester",
    title: "Tester",
    hint: "tries to break it",
    zone: "stabilizer",
    part: "You test the result the way its users will use it. Report what failed, how to reproduce it, and what passed.",
  },
  {
    id: "person",
    title: "Person",
    hint: "a human answers",
    zone: "stabilizer",
    part: "Decide whether the work is ready to ship.",
    kind: "human",
  },
  ...INSTRUMENT_KINDS.map(
    (kind): PlayerTemplate => ({
      id: `kind-${kind}`,
      title: kindTitle(kind),
      hint: "instrument",
      part: "",
      kind,
    }),
  ),
];

export function kindTitle(kind: InstrumentKind): string {
  switch (kind) {
    case "rehearsal":
      return "Rehearsal (offline)";
    case "openai":
      return "OpenAI-compatible";
    case "anthropic":
      return "Anthropic";
    case "command":
      return "Command";
    case "human":
      return "Human";
  }
}

/** A fresh instrument of `kind`, filled in from the defaults so it is valid straight away. */
export function instrumentOf(kind: InstrumentKind, defaults: PlayerDefaults): Instrument {
  switch (kind) {
    case "rehearsal":
      return { kind: "rehearsal", verdicts: [] };
    case "openai":
      return { kind: "openai", base_url: defaults.openaiBaseUrl, model: defaults.openaiModel };
    case "anthropic":
      return { kind: "anthropic", model: defaults.anthropicModel, key: { env: "ANTHROPIC_API_KEY" } };
    case "command":
      return { kind: "command", program: "", args: [], env: [] };
    case "human":
      return { kind: "human" };
  }
}

export function templateById(id: string): PlayerTemplate | undefined {
  return PLAYER_TEMPLATES.find((t) => t.id === id);
}

export function playerFromTemplate(
  template: PlayerTemplate,
  id: string,
  position: Position,
  defaults: PlayerDefaults,
): Player {
  const player: Player = {
    id,
    name: template.kind && template.id.startsWith("kind-") ? id : template.title,
    position,
    part: template.part,
    instrument: instrumentOf(template.kind ?? defaults.kind, defaults),
    zone: template.zone ?? "integrator",
  };
  if (defaults.timeoutSecs !== undefined) player.timeout_secs = defaults.timeoutSecs;
  if (defaults.retries !== undefined) player.retries = defaults.retries;
  return player;
}
