/**
 * The Rust shell, played in the browser for UI tests: the IPC contract (ui/IPC.md) over fixture
 * data, with a small validator that knows three rules (dangling cues, missing zones, cycles
 * without a repeat limit). Bundled into a script the page runs before the studio starts.
 * Everything the studio asks is recorded on `window.__studioMock` for the tests to inspect.
 */
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";

type Json = any; // the fixture speaks plain JSON, as the shell does

type Mock = {
  calls: { cmd: string; args: Json }[];
  titles: string[];
  saved: Record<string, Json>;
  autosaves: Record<string, Json>;
  keys: Record<string, string>;
  /** Program sets the person trusted, as their `programs` lists joined by newlines. */
  trusted: string[];
  options: {
    startup?: Json;
    files?: Record<string, Json>;
    keychain?: boolean;
    /** What the settings store holds at start, e.g. `{ settings: { recent: [...] } }`. */
    store?: Record<string, Json>;
    /** What every player plays in a mocked performance. */
    output?: string;
  };
};

declare global {
  interface Window {
    __studioMock: Mock;
    __studioMockOptions?: Mock["options"];
  }
}

const options: Mock["options"] = window.__studioMockOptions ?? {};
const mock: Mock = { calls: [], titles: [], saved: {}, autosaves: {}, keys: {}, trusted: [], options };
window.__studioMock = mock;

export const FIXTURE: Json = {
  format: 1,
  title: "Parser with review loop",
  intent: { goal: "Ship a TOML parser", why: "Scores must load", for_whom: "composers" },
  context: { notes: "Use Rust." },
  sections: [
    { id: "build", name: "Build", zone: "integrator", position: { x: 0, y: 0 }, size: { width: 300, height: 200 } },
    { id: "check", name: "Check", zone: "improver", position: { x: 420, y: 0 }, size: { width: 300, height: 200 } },
  ],
  players: [
    { id: "coder", name: "Coder", section: "build", position: { x: 50, y: 70 }, part: "Write the parser.", instrument: { kind: "rehearsal" } },
    { id: "reviewer", name: "Reviewer", section: "check", position: { x: 470, y: 70 }, part: "Review it.", instrument: { kind: "rehearsal", verdicts: ["CHANGES REQUESTED", "APPROVED"] } },
    { id: "tester", name: "Tester", zone: "stabilizer", position: { x: 470, y: 320 }, part: "Test it.", instrument: { kind: "rehearsal" } },
  ],
  cues: [
    { from: "coder", to: "reviewer" },
    { from: "reviewer", to: "coder", when: "verdict", verdict: "CHANGES", max_repeats: 3 },
  ],
};

function validate(score: Json): Json[] {
  const problems: Json[] = [];
  const players: Json[] = score.players ?? [];
  const sections: Json[] = score.sections ?? [];
  const ids = new Set(players.map((p) => p.id));
  const sectionIds = new Set(sections.map((s) => s.id));
  for (const p of players) {
    if (p.section !== undefined && !sectionIds.has(p.section)) {
      problems.push({ rule: "player_in_missing_section", message: `player "${p.id}" sits in section "${p.section}", which does not exist`, target: { kind: "player", id: p.id } });
    } else if (p.section === undefined && p.zone === undefined) {
      problems.push({ rule: "missing_zone", message: `player "${p.id}" is in no section and names no zone`, target: { kind: "player", id: p.id } });
    }
  }
  const cues: Json[] = score.cues ?? [];
  for (const c of cues) {
    for (const end of [c.from, c.to]) {
      if (!ids.has(end)) {
        problems.push({ rule: "cue_to_missing_player", message: `cue ${c.from} -> ${c.to} names "${end}", which is no player`, target: { kind: "cue", from: c.from, to: c.to } });
      }
    }
  }
  // A cycle needs a loop cue: look for a path back to `from` over cues without a repeat limit.
  const plain = cues.filter((c) => c.max_repeats === undefined);
  const next = new Map<string, string[]>();
  for (const c of plain) next.set(c.from, [...(next.get(c.from) ?? []), c.to]);
  for (const c of plain) {
    const seen = new Set<string>();
    const stack = [c.to];
    let cyclic = false;
    while (stack.length) {
      const at = stack.pop() as string;
      if (at === c.from) {
        cyclic = true;
        break;
      }
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...(next.get(at) ?? []));
    }
    if (cyclic) {
      problems.push({ rule: "cycle_without_repeat_limit", message: `cue ${c.from} -> ${c.to} closes a cycle with no repeat limit; give one cue of the cycle max_repeats`, target: { kind: "cue", from: c.from, to: c.to } });
    }
  }
  return problems;
}

const stores = new Map<number, Record<string, Json>>();
let nextRid = 1;
let performances = 0;

/** Each program a score runs, as the shell lists them: `player: program arg…`. */
function programs(score: Json): string[] {
  return (score.players ?? [])
    .filter((p: Json) => p.instrument?.kind === "command")
    .map((p: Json) => [`${p.id}: ${p.instrument.program}`, ...(p.instrument.args ?? [])].join(" "));
}

function scoreTrust(score: Json): Json {
  const list = programs(score);
  return { needed: list.length > 0, trusted: list.length === 0 || mock.trusted.includes(list.join("\n")), programs: list };
}

function perform(args: Json): string {
  if (!args.offline && !scoreTrust(args.score).trusted) {
    throw { message: `this score runs programs on your computer (${programs(args.score).join("; ")}); trust it before performing, or perform offline` };
  }
  const id = `perf-${++performances}`;
  const channel = args.onEvent;
  const score = args.score;
  let seq = 0;
  const events: Json[] = [];
  const players: Json[] = score.players ?? [];
  const emit = (event: Json) => events.push({ seq: ++seq, at_ms: Date.now(), ...event });
  emit({ type: "performance_started", performance: id, title: score.title, context_version: "sha256:c0ffee1234abcd5678", players: players.map((p) => p.id), offline: args.offline, resumed: false });
  for (const p of players) {
    emit({ type: "player_cued", player: p.id, chorus: 1, context_version: "sha256:c0ffee1234abcd5678", instrument: "rehearsal", rehearsal: true, handoffs: [] });
    const output = options.output ?? "Played the part.";
    const words = output.split(/(?<= )/);
    for (const word of words) emit({ type: "token", player: p.id, text: word });
    emit({ type: "player_finished", player: p.id, chorus: 1, output, usage: { input_tokens: 10, output_tokens: words.length }, cost_usd: 0, elapsed_ms: 5 });
  }
  emit({ type: "performance_finished", outcome: "succeeded", reason: null, usage: { input_tokens: 10, output_tokens: 3 }, cost_usd: 0, elapsed_ms: 20 });
  let i = 0;
  const pump = () => {
    if (i >= events.length) return;
    channel.onmessage(events[i++]);
    setTimeout(pump, 5);
  };
  setTimeout(pump, 5);
  return id;
}

function handle(cmd: string, args: Json): Json {
  switch (cmd) {
    case "startup":
      return { initial_path: null, recovered: null, test_paths: false, ...(options.startup ?? {}) };
    case "list_templates":
      return [{ id: "review-loop", title: "Review loop", description: "A coder and a reviewer who loops back.", text: "fixture" }];
    case "new_score":
      return { format: 1, title: "Untitled score", intent: { goal: "" } };
    case "parse_score":
      return { path: args.path, text: args.text, score: structuredClone(FIXTURE), problems: [] };
    case "open_score": {
      const file = options.files?.[args.path];
      if (file === undefined) throw { message: `${args.path}: no such file` };
      if (file.problems) return { path: args.path, text: "", score: null, problems: file.problems };
      return { path: args.path, text: "", score: structuredClone(file), problems: [] };
    }
    case "validate_score":
      return validate(args.score);
    case "context_badge":
      return { version: "sha256:c0ffee1234abcd5678", tokens_estimate: 42 + JSON.stringify(args.score.intent).length, files: (args.score.context?.files ?? []).length, problems: [] };
    case "save_score":
      mock.saved[args.path] = args.score;
      return { path: args.path, text: JSON.stringify(args.score) };
    case "score_text":
      return JSON.stringify(args.score);
    case "autosave":
      mock.autosaves[args.key] = args.score;
      return null;
    case "discard_autosave":
      delete mock.autosaves[args.key];
      return null;
    case "test_connection":
      if (args.instrument.kind === "rehearsal") return "rehearsal needs no connection";
      throw { message: `could not reach ${args.instrument.base_url ?? "the endpoint"}` };
    case "keychain_status":
      return options.keychain === false
        ? {
            available: false,
            message: 'no keychain service is available on this machine (no Secret Service); keys can come from environment variables instead: key = { env = "NAME" }',
          }
        : { available: true, message: "Secret Service" };
    case "set_key":
      mock.keys[args.name] = args.secret;
      return null;
    case "key_is_set":
      return args.name in mock.keys;
    case "delete_key":
      delete mock.keys[args.name];
      return null;
    case "score_trust":
      return scoreTrust(args.score);
    case "trust_score":
      mock.trusted.push(programs(args.score).join("\n"));
      return null;
    case "perform":
      return perform(args);
    case "conduct":
      return true;
    case "performances":
      return [];
    case "performance_events":
      return [];
    case "plugin:store|load": {
      const rid = nextRid++;
      stores.set(rid, structuredClone(options.store ?? {}));
      return rid;
    }
    case "plugin:store|get": {
      const store = stores.get(args.rid) ?? {};
      return [store[args.key] ?? null, args.key in store];
    }
    case "plugin:store|set":
      (stores.get(args.rid) ?? {})[args.key] = args.value;
      return null;
    case "plugin:store|save":
      return null;
    case "plugin:window|set_title":
      mock.titles.push(args.value ?? args.title);
      return null;
    case "plugin:dialog|ask":
    case "plugin:dialog|confirm":
      return true;
    case "plugin:dialog|open":
    case "plugin:dialog|save":
      return null;
    default:
      if (cmd.startsWith("plugin:")) return null;
      throw { message: `the mock shell does not know "${cmd}"` };
  }
}

mockWindows("main");
mockIPC(
  (cmd, args) => {
    const plain = args as Json;
    mock.calls.push({ cmd, args: cmd === "perform" ? { ...plain, onEvent: "channel" } : plain });
    return handle(cmd, plain);
  },
  { shouldMockEvents: true },
);
