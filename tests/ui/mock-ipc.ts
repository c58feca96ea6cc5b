/**
 * The Rust shell, played in the browser for UI tests: the IPC contract (ui/src/ipc.ts, generated from the shell's commands) over fixture
 * data, with a small validator that knows three rules (dangling cues, missing zones, cycles
 * without a repeat limit). Like the shell, it sends every list and table of a score, empty or not. Bundled into a script the page runs before the studio starts.
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
  /** What the person trusted: whole reaches as JSON, and keys for hosts as `KEY -> ORIGIN`. */
  trusted: string[];
  /** How many events each message over a performance's channel carried, in order. */
  messages: number[];
  /**
   * For each message, the milliseconds from handing it to the studio until the studio had folded
   * it, rendered it and laid the page out: the work it added to its frame.
   */
  frameWork: number[];
  /** Desktop notifications sent (through `window.Notification`, which the notification plugin provides in the app). */
  notifications: { title: string; body: string | null }[];
  /** How many times the studio asked for permission to notify. */
  notificationRequests: number;
  options: {
    startup?: Json;
    files?: Record<string, Json>;
    keychain?: boolean;
    /** What the settings store holds at start, e.g. `{ settings: { recent: [...] } }`. */
    store?: Record<string, Json>;
    /** What every player plays in a mocked performance. */
    output?: string;
    /** Keep mocked performances open after the last player, until cut off. */
    hold?: boolean;
    /** Events a mocked performance plays after its start, instead of each player once (a recorded stream). */
    stream?: Json[];
    /** Play `stream` at the pace it was recorded (its `at_ms`), not all at once. */
    paced?: boolean;
    /** A person's tool decision is played as the conductor records it: resolved, then (unless rejected) called and answered by rehearsal. */
    playToolDecisions?: boolean;
    /** Whether the person allows desktop notifications when asked (default: yes). */
    allowNotifications?: boolean;
    /** Comparisons the shell would work out (`ensemble compare --json`), found by their two ids. */
    comparisons?: Json[];
    /** Performances recorded before the studio started: a summary and its events each. */
    performances?: { summary: Json; events: Json[] }[];
    /** The message `resume_performance` refuses with, as the shell does for one claimed elsewhere. */
    refuseResume?: string;
    /** Real diagnoses (`ensemble diagnose --format json`); `diagnose` answers with the one whose declared zones match the score's. */
    reports?: Json[];
    /** What `diagnosis_html` answers. */
    reportHtml?: string;
    /** The survey's questions, as `survey_questions` answers. */
    questionnaire?: Json;
    /** Returned survey files `read_survey_file` knows: the answers in each. */
    surveyFiles?: Record<string, Json[]>;
    /** What the check before an export finds (`check_export`), masked as the shell masks it. */
    findings?: Json[];
    /** Bundles `open_bundle` knows: the score file name and score inside, or the refusal message. */
    bundles?: Record<string, { name: string; score: Json } | { refuse: string }>;
    /** Projects and graphs `import_project` knows: the score file name, score and report it makes, or the refusal message. */
    imports?: Record<string, { name: string; score: Json; report: Json } | { refuse: string }>;
    /** The message `export_score` fails with, as the shell does when a file cannot be written. */
    refuseExport?: string;
    /** What the check before a report finds in a performance's recorded score (`check_report`). */
    reportFindings?: Json[];
    /** What the native open and save dialogs answer, in order; null (cancelled) once used up. */
    dialogs?: (string | null)[];
    /** Tool servers `test_tool_server` reaches, by program or URL: what each says of itself and its tools. */
    toolServers?: Record<string, { server_info: string | null; tools: Json[] }>;
  };
};

declare global {
  interface Window {
    __studioMock: Mock;
    __studioMockOptions?: Mock["options"];
  }
}

const options: Mock["options"] = window.__studioMockOptions ?? {};
const mock: Mock = { calls: [], titles: [], saved: {}, autosaves: {}, keys: {}, trusted: [], messages: [], frameWork: [], notifications: [], notificationRequests: 0, options };

/**
 * The desktop's notifications as the notification plugin offers them to the webview (its own
 * `window.Notification`): permission starts undecided, asking records the request and takes
 * the person's answer from the options, and each notification shown is recorded.
 */
class DesktopNotification {
  static permission: NotificationPermission = "default";
  static async requestPermission(): Promise<NotificationPermission> {
    mock.notificationRequests += 1;
    DesktopNotification.permission = options.allowNotifications === false ? "denied" : "granted";
    return DesktopNotification.permission;
  }
  constructor(title: string, init?: { body?: string }) {
    mock.notifications.push({ title, body: init?.body ?? null });
  }
}
Object.defineProperty(window, "Notification", { value: DesktopNotification, configurable: true, writable: true });
window.__studioMock = mock;

export const FIXTURE: Json = {
  format: 1,
  title: "Parser with review loop",
  intent: { goal: "Ship a TOML parser", why: "Scores must load", for_whom: "composers" },
  context: { notes: "Use Rust.", files: [] },
  tempo: {},
  sections: [
    { id: "build", name: "Build", zone: "integrator", position: { x: 0, y: 0 }, size: { width: 300, height: 200 } },
    { id: "check", name: "Check", zone: "improver", position: { x: 420, y: 0 }, size: { width: 300, height: 200 } },
  ],
  players: [
    { id: "coder", name: "Coder", section: "build", position: { x: 50, y: 70 }, part: "Write the parser.", instrument: { kind: "rehearsal", verdicts: [] } },
    { id: "reviewer", name: "Reviewer", section: "check", position: { x: 470, y: 70 }, part: "Review it.", instrument: { kind: "rehearsal", verdicts: ["CHANGES REQUESTED", "APPROVED"] } },
    { id: "tester", name: "Tester", zone: "stabilizer", position: { x: 470, y: 320 }, part: "Test it.", instrument: { kind: "rehearsal", verdicts: [] } },
  ],
  cues: [
    { from: "coder", to: "reviewer" },
    { from: "reviewer", to: "coder", when: "verdict", verdict: "CHANGES", max_repeats: 3 },
  ],
};

function validate(score: Json): Json[] {
  const problems: Json[] = [];
  const players: Json[] = score.players;
  const sections: Json[] = score.sections;
  const ids = new Set(players.map((p) => p.id));
  const sectionIds = new Set(sections.map((s) => s.id));
  for (const p of players) {
    if (p.section !== undefined && !sectionIds.has(p.section)) {
      problems.push({ rule: "player_in_missing_section", message: `player "${p.id}" sits in section "${p.section}", which does not exist`, target: { kind: "player", id: p.id } });
    } else if (p.section === undefined && p.zone === undefined) {
      problems.push({ rule: "missing_zone", message: `player "${p.id}" is in no section and names no zone`, target: { kind: "player", id: p.id } });
    }
  }
  const cues: Json[] = score.cues;
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
  return score.players
    .filter((p: Json) => p.instrument.kind === "command")
    .map((p: Json) => [`${p.id}: ${p.instrument.program}`, ...p.instrument.args].join(" "));
}

/** The key reference as the shell writes it (`env:NAME`, `keychain:NAME`) and the origin it goes to. */
function keySend(instrument: Json): { key: string; host: string } | null {
  if (!instrument.key) return null;
  const key = instrument.key.env !== undefined ? `env:${instrument.key.env}` : `keychain:${instrument.key.keychain}`;
  return { key, host: new URL(instrument.base_url ?? "https://api.anthropic.com").origin };
}

/** What the score would do, as the shell lists it (no reads outside: mocked files have no folders). */
function reachOf(score: Json, path: string | null): Json {
  const folder = path ? path.slice(0, path.lastIndexOf("/")) : "/home/composer";
  const programs = score.players
    .filter((p: Json) => p.instrument.kind === "command")
    .map((p: Json) => ({ player: p.id, command: [p.instrument.program, ...p.instrument.args].join(" "), cwd: folder, env: p.instrument.env ?? [] }));
  const key_sends = score.players.flatMap((p: Json) => {
    const send = keySend(p.instrument);
    return send ? [{ player: p.id, ...send }] : [];
  });
  return { programs, key_sends, outside_reads: [] };
}

function scoreTrust(score: Json, path: string | null): Json {
  const reach = reachOf(score, path);
  const needed = reach.programs.length + reach.key_sends.length > 0;
  const keysAllowed = reach.programs.length === 0 && reach.key_sends.every((s: Json) => mock.trusted.includes(`${s.key} -> ${s.host}`));
  return { needed, trusted: !needed || keysAllowed || mock.trusted.includes(JSON.stringify(reach)), ...reach };
}

/** "Test connection" of one tool server, as the shell answers: the server's tools, or why not. */
function testToolServer(args: Json): Json {
  if (Object.keys(args).sort().join() !== "path,player,score,server") throw { message: `test_tool_server takes { score, path, player, server }, not { ${Object.keys(args).join(", ")} }` };
  const server = args.score.players.find((p: Json) => p.id === args.player)?.tools?.servers.find((s: Json) => s.id === args.server);
  if (!server) throw { message: `player \`${args.player}\` has no tool server \`${args.server}\`` };
  const found = options.toolServers?.[server.program ?? server.url];
  if (!found) throw { message: `tool server \`${server.id}\`: could not start ${server.program ?? server.url}: no such program (is it installed and on PATH?)` };
  return { player: args.player, server: args.server, ...structuredClone(found) };
}

/** A mocked performance: its recorded events, and whether the conductor still takes commands. */
type Run = { id: string; title: string; path: string | null; offline: boolean; started: number; events: Json[]; finished: boolean; emit: (event: Json) => void; forked?: { from: string; player: string } };
const runs = new Map<string, Run>();
const CONTEXT = "sha256:c0ffee1234abcd5678";

function play(run: Run, player: string, chorus: number): void {
  run.emit({ type: "player_cued", player, chorus, context_version: CONTEXT, instrument: "rehearsal", rehearsal: true, handoffs: [] });
  const output = chorus > 1 ? `Played the part again (chorus ${chorus}).` : (options.output ?? "Played the part.");
  const words = output.split(/(?<= )/);
  for (const word of words) run.emit({ type: "token", player, text: word });
  run.emit({ type: "player_finished", player, chorus, output, usage: { input_tokens: 10, output_tokens: words.length }, cost_usd: 0, elapsed_ms: 5 });
}

function finish(run: Run, outcome: string): void {
  run.emit({ type: "performance_finished", outcome, reason: null, usage: { input_tokens: 10, output_tokens: 3 }, cost_usd: 0, elapsed_ms: 20 });
  run.finished = true;
}

/**
 * Plays every player once, in score order. With `options.hold` the performance stays open after
 * the last player (as one waiting at a checkpoint would), so the conductor's hands can be tried;
 * `cut_off` ends it.
 */
function perform(args: Json): string {
  if (!args.offline && !scoreTrust(args.score, args.path ?? null).trusted) {
    throw { message: `this score reaches beyond itself on your computer (${programs(args.score).join("; ")}); trust it before performing, or perform offline` };
  }
  const id = `perf-${++performances}`;
  const score = args.score;
  const run = startRun(id, score.title, args.path ?? null, args.offline, [], args.onEvent);
  const players: Json[] = score.players;
  run.emit({ type: "performance_started", performance: id, title: score.title, context_version: CONTEXT, players: players.map((p) => p.id), offline: args.offline, resumed: false });
  if (options.stream && options.paced) {
    // As recorded: each event when it happened, counted from the first, recorded every few
    // milliseconds as the conductor commits them; the recording's own end closes it. Its times
    // move to now, so the timeline's lanes start with this performance.
    const stream: Json[] = options.stream;
    const first = stream[0]?.at_ms ?? 0;
    const began = Date.now();
    let next = 0;
    const record = () => {
      const due = first + (Date.now() - began);
      while (next < stream.length && stream[next].at_ms <= due) {
        const event = stream[next++];
        run.emit({ ...event, at_ms: began + (event.at_ms - first) });
      }
      if (next < stream.length) setTimeout(record, 4);
    };
    setTimeout(record, 0);
    return id;
  }
  if (options.stream) for (const event of options.stream) run.emit(event);
  else for (const p of players) play(run, p.id, 1);
  if (!options.hold) finish(run, "succeeded");
  return id;
}

/**
 * A mocked performance going on from `prior` (its recorded events), sending new events to
 * `channel` as the shell does: what was recorded since the last message, at most one message a
 * frame (16 ms).
 */
function startRun(id: string, title: string, path: string | null, offline: boolean, prior: Json[], channel: Json): Run {
  const queue: Json[] = [];
  let pumping = false;
  const pump = () => {
    if (queue.length === 0) {
      pumping = false;
      return;
    }
    const batch = queue.splice(0, queue.length);
    mock.messages.push(batch.length);
    const handed = performance.now();
    channel.onmessage(batch);
    // React renders what the store update scheduled in a microtask queued before this one.
    queueMicrotask(() => {
      void document.body.offsetHeight;
      mock.frameWork.push(performance.now() - handed);
    });
    setTimeout(pump, 16);
  };
  const run: Run = {
    id,
    title,
    path,
    offline,
    started: prior[0]?.at_ms ?? Date.now(),
    events: [...prior],
    finished: false,
    emit: (event) => {
      const recorded = { seq: run.events.length + 1, at_ms: Date.now(), ...event };
      run.events.push(recorded);
      queue.push(recorded);
      if (!pumping) {
        pumping = true;
        setTimeout(pump, 5);
      }
    },
  };
  runs.set(id, run);
  return run;
}

/**
 * Resumes an interrupted recorded performance as the shell does: refuses a finished or running
 * one, says the new stretch is resumed, and plays only the players that had not finished.
 */
function resume(args: Json): string {
  if (options.refuseResume) throw { message: options.refuseResume };
  if (runs.has(args.id)) {
    const run = runs.get(args.id) as Run;
    throw { message: run.finished ? `performance ${args.id} already finished; there is nothing to resume` : `performance ${args.id} is still running` };
  }
  const stored = (options.performances ?? []).find((p) => p.summary.id === args.id);
  if (!stored) throw { message: `no performance with id ${args.id}` };
  const { summary, events } = stored;
  if (summary.status !== "interrupted") throw { message: `performance ${args.id} is ${summary.status}; there is nothing to resume` };
  const started = events.find((e) => e.type === "performance_started");
  const run = startRun(summary.id, summary.title, summary.score_path, summary.offline, events, args.onEvent);
  run.started = summary.started_ms;
  const players: string[] = started?.players ?? [];
  // As the conductor does: the tempo the person set last, else the one the record started with.
  const tempo = [...events].reverse().find((e) => e.type === "tempo_changed")?.mode ?? started?.tempo;
  run.emit({ type: "performance_started", performance: summary.id, title: summary.title, context_version: CONTEXT, players, offline: summary.offline, resumed: true, ...(tempo ? { tempo } : {}) });
  const done = new Set(events.filter((e) => e.type === "player_finished").map((e) => e.player));
  for (const player of players) if (!done.has(player)) play(run, player, 1);
  if (!options.hold) finish(run, "succeeded");
  return summary.id;
}

/** The conductor's hands on a mocked performance; false once it has ended, as the shell says. */
function conduct(args: Json): boolean {
  const run = runs.get(args.performance);
  if (!run || run.finished) return false;
  const command = args.command;
  switch (command.type) {
    case "recue": {
      const choruses = run.events.filter((e) => e.type === "player_cued" && e.player === command.player).length;
      play(run, command.player, choruses + 1);
      break;
    }
    case "edit_output":
      run.emit({ type: "output_edited", player: command.player, output: command.output });
      break;
    case "set_tempo":
      run.emit({ type: "tempo_changed", mode: command.mode });
      break;
    case "cut_off":
      finish(run, "cut_off");
      break;
    case "tool_decision": {
      const waited = run.events.find((e) => e.type === "tool_waiting" && e.player === command.player && e.call === command.call);
      if (!options.playToolDecisions || !waited) break;
      const { player, call, decision } = command;
      run.emit({ type: "tool_resolved", player, call, tool: waited.tool, decision });
      if (decision.decision === "reject") break;
      const args = decision.decision === "edit" ? decision.arguments : waited.arguments;
      run.emit({ type: "tool_called", player, call, tool: waited.tool, arguments: args, rehearsal: true });
      const result = `[rehearsal] made-up result of ${waited.tool} for ${JSON.stringify(args)}: no server was started`;
      run.emit({ type: "tool_returned", player, call, tool: waited.tool, result, is_error: false, cut: false, elapsed_ms: 0 });
      break;
    }
    default:
      break;
  }
  return true;
}

function summaries(): Json[] {
  const recorded = [...runs.values()].map((run) => {
    const last = run.events[run.events.length - 1];
    return {
      id: run.id,
      title: run.title,
      score_path: run.path,
      started_ms: run.started,
      finished_ms: run.finished ? last.at_ms : null,
      status: run.finished ? "finished" : "running",
      outcome: run.finished ? last.outcome : null,
      tokens: run.events.filter((e) => e.type === "token").length,
      cost_usd: 0,
      offline: run.offline,
      seed: 1,
      forked_from: run.forked?.from ?? null,
      forked_player: run.forked?.player ?? null,
      outcome_summary: run.finished ? `${last.outcome}${run.forked ? `, ${run.events.filter((e) => e.type === "player_carried").length} carried over` : ""}` : null,
    };
  });
  // A resumed recorded performance is listed once, as it is now.
  const before = (options.performances ?? []).map((p) => p.summary).filter((summary) => !runs.has(summary.id));
  return [...before, ...recorded];
}

function performanceEvents(id: string): Json[] {
  const run = runs.get(id);
  if (run) return run.events;
  const stored = (options.performances ?? []).find((p) => p.summary.id === id);
  if (!stored) throw { message: `no performance ${id}` };
  return stored.events;
}

/**
 * Re-runs a recorded performance from `player` as the shell does, simplified: the players before
 * it in the recorded order are carried over with their last recorded output, it and the players
 * after it play once each.
 */
function fork(args: Json): string {
  const prior = performanceEvents(args.id);
  const started = prior.find((e) => e.type === "performance_started");
  const players: string[] = started?.players ?? [];
  const from = players.indexOf(args.player);
  if (from < 0) throw { message: `performance ${args.id} has no player ${args.player}` };
  const id = `perf-${++performances}`;
  const stored = (options.performances ?? []).find((p) => p.summary.id === args.id)?.summary;
  const run = startRun(id, started.title, args.scorePath ?? stored?.score_path ?? runs.get(args.id)?.path ?? null, args.offline, [], args.onEvent);
  run.forked = { from: args.id, player: args.player };
  run.emit({ type: "performance_started", performance: id, title: started.title, context_version: CONTEXT, players, offline: args.offline, resumed: false });
  for (const player of players.slice(0, from)) {
    const output = prior.filter((e) => e.type === "player_finished" && e.player === player).pop()?.output ?? "";
    run.emit({ type: "player_carried", player, from_performance: args.id, chorus: 1, output, failed: false });
  }
  for (const player of players.slice(from)) play(run, player, 1);
  if (!options.hold) finish(run, "succeeded");
  return id;
}

/** The comparison the test gave for these two ids. */
function compare(args: Json): Json {
  const found = (options.comparisons ?? []).find((c) => c.left.summary.id === args.left && c.right.summary.id === args.right);
  if (!found) throw { message: `the mock shell has no comparison of ${args.left} with ${args.right}` };
  return found;
}

/** The performance of the same title that started last before `id`. */
function previous(id: string): string | null {
  const all = summaries();
  const me = all.find((s) => s.id === id);
  if (!me) throw { message: `no performance ${id}` };
  const before = all.filter((s) => s.title === me.title && s.started_ms < me.started_ms).sort((a, b) => b.started_ms - a.started_ms);
  return before[0]?.id ?? null;
}

/** The shell's default export names: the score's file stem (or its title) beside the score. */
const EXPORT_SUFFIX: Record<string, string> = { svg: ".svg", png: ".png", png2x: "@2x.png", mermaid: ".mmd", markdown: ".md", zip: ".score.zip" };

function exportTarget(args: Json): string {
  const path: string | null = args.path;
  const folder = path ? path.slice(0, path.lastIndexOf("/")) : "/home/composer";
  const stem = path ? path.slice(path.lastIndexOf("/") + 1).replace(/\.score\.toml$/, "") : args.score.title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return `${folder}/${stem}${EXPORT_SUFFIX[args.format]}`;
}

/** Refuses as the shell does when the check found something the person has not allowed. */
function refuseFindings(args: Json): void {
  const found: Json[] = options.findings ?? [];
  if (found.length > 0 && !args.allow) throw { message: `the export was refused: ${found.map((f) => `${f.place}: ${f.excerpt}`).join("; ")}` };
}

/** Unpacks a known bundle: its score becomes a file `open_score` can read. */
function openBundle(args: Json): Json {
  const bundle = options.bundles?.[args.bundle];
  if (!bundle) throw { message: `${args.bundle}: no such file` };
  if ("refuse" in bundle) throw { message: bundle.refuse };
  const score = `${args.into}/${bundle.name}`;
  options.files = { ...(options.files ?? {}), [score]: bundle.score };
  return { score, files: [score] };
}

/** Imports a known CrewAI project or LangGraph graph: its score becomes a file `open_score` can read. */
function importProject(args: Json): Json {
  const found = options.imports?.[args.source];
  if (!found) throw { message: `${args.source} is neither a CrewAI project nor a LangGraph graph description` };
  if ("refuse" in found) throw { message: found.refuse };
  const score = `${args.into}/${found.name}`;
  options.files = { ...(options.files ?? {}), [score]: found.score };
  return { score, files: [score], report: found.report };
}

/** Each player's declared zone: its own, else its section's. */
function declaredZones(score: Json): Record<string, string | null> {
  const zones = new Map(score.sections.map((s: Json) => [s.id, s.zone]));
  return Object.fromEntries(score.players.map((p: Json) => [p.id, p.zone ?? zones.get(p.section) ?? null]));
}

/** The recorded diagnosis of a score with the same players in the same declared zones. */
function diagnosisFor(score: Json): Json {
  const wanted = declaredZones(score);
  const report = (options.reports ?? []).find((r) => {
    const players: Json[] = r.alignment.players;
    return players.length === Object.keys(wanted).length && players.every((p) => wanted[p.player] === p.declared);
  });
  if (!report) throw { message: "the mock shell has no diagnosis of this score" };
  return structuredClone(report);
}

function handle(cmd: string, args: Json): Json {
  switch (cmd) {
    case "startup":
      return { initial_path: null, initial_kind: null, recovered: null, test_paths: false, ...(options.startup ?? {}) };
    case "watch_opened_files":
      return null;
    case "list_templates":
      return [{ id: "review-loop", title: "Review loop", description: "A coder and a reviewer who loops back.", text: "fixture" }];
    case "new_score":
      return { format: 1, title: "Untitled score", intent: { goal: "" }, context: { files: [] }, tempo: {}, sections: [], players: [], cues: [] };
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
      return { version: "sha256:c0ffee1234abcd5678", tokens_estimate: 42 + JSON.stringify(args.score.intent).length, files: args.score.context.files.length, problems: [] };
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
    case "test_connection": {
      const send = keySend(args.instrument);
      if (send && !mock.trusted.includes(`${send.key} -> ${send.host}`)) {
        throw { message: `testing this instrument would send the key ${send.key} to ${send.host}, which you have not allowed for that key; trust the score first (it lists each key and where it goes)` };
      }
      if (args.instrument.kind === "rehearsal") return "rehearsal needs no connection";
      throw { message: `could not reach ${args.instrument.base_url ?? "the endpoint"}` };
    }
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
    case "test_tool_server":
      return testToolServer(args);
    case "score_trust":
      // The shell's command takes the score and its path; anything else means the client is stale.
      if (Object.keys(args).sort().join() !== "path,score") throw { message: `score_trust takes { score, path }, not { ${Object.keys(args).join(", ")} }` };
      return scoreTrust(args.score, args.path);
    case "trust_score": {
      const reach = reachOf(args.score, args.path);
      mock.trusted.push(JSON.stringify(reach), ...reach.key_sends.map((s: Json) => `${s.key} -> ${s.host}`));
      return null;
    }
    case "perform":
      return perform(args);
    case "resume_performance":
      return resume(args);
    case "conduct":
      return conduct(args);
    case "performances":
      return summaries();
    case "performance_events":
      return performanceEvents(args.id);
    case "fork_performance":
      return fork(args);
    case "compare_performances":
      return compare(args);
    case "previous_performance":
      return previous(args.id);
    case "check_export":
      return options.findings ?? [];
    case "export_score":
      refuseFindings(args);
      if (options.refuseExport) throw { message: options.refuseExport };
      if (args.format === "zip" && !args.path) throw { message: "save the score before bundling it" };
      return null;
    case "export_target":
      return exportTarget(args);
    case "copy_picture":
      refuseFindings(args);
      return null;
    case "check_report":
      return options.reportFindings ?? [];
    case "report_name":
      return `performance-${args.id}.${args.format === "otlp" ? "traces.json" : "report.html"}`;
    case "save_report":
      if ((options.reportFindings ?? []).length > 0 && !args.allow) throw { message: "the report was refused: the check found something" };
      return null;
    case "send_traces":
      return `${args.endpoint}/v1/traces`;
    case "open_bundle":
      return openBundle(args);
    case "import_project":
      return importProject(args);
    case "diagnose":
      return diagnosisFor(args.score);
    case "survey_questions":
      if (!options.questionnaire) throw { message: "the mock shell has no questionnaire" };
      return structuredClone(options.questionnaire);
    case "keep_survey_answers":
      return null;
    case "read_survey_file": {
      const answers = options.surveyFiles?.[args.path];
      if (answers === undefined) throw { message: `${args.path}: no such file` };
      return structuredClone(answers);
    }
    case "blank_survey":
      return `# Ensemble survey. Fill in the numbers below and send the file back.\n\n[[people]]\nperson = ${JSON.stringify(args.person)}\n`;
    case "diagnosis_html":
      return options.reportHtml ?? `<h1>${args.report.title}</h1>`;
    case "save_blank_survey":
    case "save_diagnosis_html":
      return null;
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
      return options.dialogs?.shift() ?? null;
    default:
      if (cmd.startsWith("plugin:")) return null;
      throw { message: `the mock shell does not know "${cmd}"` };
  }
}

mockWindows("main");
mockIPC(
  (cmd, args) => {
    const plain = args as Json;
    mock.calls.push({ cmd, args: cmd === "perform" || cmd === "resume_performance" || cmd === "fork_performance" ? { ...plain, onEvent: "channel" } : plain });
    return handle(cmd, plain);
  },
  { shouldMockEvents: true },
);
