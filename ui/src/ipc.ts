// Generated from the studio's Tauri commands (src-tauri/src) by `cargo test -p ensemble-studio`.
// Do not edit: change the command in Rust, run the tests, commit the result.
/**
 * The one door to the Rust shell: a typed function per command, so the rest of the studio never
 * spells a command name or an argument key. Errors arrive as `{ message }` (see `errorMessage`).
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AttemptBounds } from "./bindings/AttemptBounds";
import type { Command } from "./bindings/Command";
import type { Comparison } from "./bindings/Comparison";
import type { ContextBadge } from "./bindings/ContextBadge";
import type { Event } from "./bindings/Event";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { FileToOpen } from "./bindings/FileToOpen";
import type { Finding } from "./bindings/Finding";
import type { ImportedScore } from "./bindings/ImportedScore";
import type { Instrument } from "./bindings/Instrument";
import type { KeychainStatus } from "./bindings/KeychainStatus";
import type { OpenedBundle } from "./bindings/OpenedBundle";
import type { OpenedScore } from "./bindings/OpenedScore";
import type { PersonAnswers } from "./bindings/PersonAnswers";
import type { PlayerRun } from "./bindings/PlayerRun";
import type { Problem } from "./bindings/Problem";
import type { Questionnaire } from "./bindings/Questionnaire";
import type { Report } from "./bindings/Report";
import type { ReportFormat } from "./bindings/ReportFormat";
import type { SavedScore } from "./bindings/SavedScore";
import type { Score } from "./bindings/Score";
import type { ScoreTrust } from "./bindings/ScoreTrust";
import type { ServerTest } from "./bindings/ServerTest";
import type { Startup } from "./bindings/Startup";
import type { Summary } from "./bindings/Summary";
import type { Template } from "./bindings/Template";

export type { AttemptBounds, Command, Comparison, ContextBadge, Event, ExportFormat, FileToOpen, Finding, ImportedScore, Instrument, KeychainStatus, OpenedBundle, OpenedScore, PersonAnswers, PlayerRun, Problem, Questionnaire, Report, ReportFormat, SavedScore, Score, ScoreTrust, ServerTest, Startup, Summary, Template };

/** The shell reports errors as `{ message }`; anything else is turned into readable text. */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && "message" in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

export const ipc = {
  /**
   * The window's file (a file named on the command line is also how end-to-end tests open one),
   * and autosaved unsaved work found from a previous crash.
   */
  startup: () => invoke<Startup>("startup"),
  /**
   * The main window listens for files opened from outside from now on; any that came earlier
   * are sent at once. A reloaded page subscribes again and replaces the old channel. Other
   * windows open only the file they were made for, so their subscription is not kept.
   */
  watchOpenedFiles: (onFiles: (message: FileToOpen[]) => void) => {
    const onFilesChannel = new Channel<FileToOpen[]>();
    onFilesChannel.onmessage = onFiles;
    return invoke<null>("watch_opened_files", { onFiles: onFilesChannel });
  },
  /**
   * The example scores a new score can start from (embedded in the binary: no disk is read).
   */
  listTemplates: () => invoke<Template[]>("list_templates"),
  /**
   * A blank score.
   */
  newScore: () => invoke<Score>("new_score"),
  /**
   * Reads a score file; a file with problems comes back with its text and every problem.
   */
  openScore: (path: string) => invoke<OpenedScore>("open_score", { path }),
  /**
   * Parses score text; attached files are checked beside `path` when given.
   */
  parseScore: (text: string, path: string | null) => invoke<OpenedScore>("parse_score", { text, path }),
  /**
   * The model rules a score breaks (no line or column; `target` says which part).
   */
  validateScore: (score: Score, path: string | null) => invoke<Problem[]>("validate_score", { score, path }),
  /**
   * Saves canonically, keeping the comments of the file at `path` or else of `source`, the file
   * the score was opened from.
   */
  saveScore: (path: string, score: Score, source: string | null) => invoke<SavedScore>("save_score", { path, score, source }),
  /**
   * The canonical text of a score, for a preview or a copy.
   */
  scoreText: (score: Score) => invoke<string>("score_text", { score }),
  /**
   * The shared context's version and size.
   */
  contextBadge: (score: Score, path: string | null) => invoke<ContextBadge>("context_badge", { score, path }),
  /**
   * Writes the document's latest state under its key (the UI's key for the document).
   */
  autosave: (key: string, score: Score, path: string | null) => invoke<null>("autosave", { key, score, path }),
  /**
   * Forgets the autosaved state of a document, after it was saved or its recovery was declined.
   */
  discardAutosave: (key: string) => invoke<null>("discard_autosave", { key }),
  /**
   * Asks the instrument's endpoint whether it answers and serves the model; a message either way.
   */
  testConnection: (instrument: Instrument) => invoke<string>("test_connection", { instrument }),
  /**
   * Whether keys can be kept in a keychain here, and if not, what to do instead.
   */
  keychainStatus: () => invoke<KeychainStatus>("keychain_status"),
  /**
   * Stores a key in the OS keychain under `name`; the secret is never sent back.
   */
  setKey: (name: string, secret: string) => invoke<null>("set_key", { name, secret }),
  keyIsSet: (name: string) => invoke<boolean>("key_is_set", { name }),
  deleteKey: (name: string) => invoke<null>("delete_key", { name }),
  /**
   * Starts a performance and returns its id at once; its events stream over `on_event`. Every
   * attempt plays within `bounds` (the studio's settings). Refuses a score with problems, bounds
   * out of range, and a score whose programs are not trusted unless `offline`.
   */
  perform: (score: Score, path: string | null, offline: boolean, seed: number | null, bounds: AttemptBounds, onEvent: (message: Event[]) => void) => {
    const onEventChannel = new Channel<Event[]>();
    onEventChannel.onmessage = onEvent;
    return invoke<string>("perform", { score, path, offline, seed, bounds, onEvent: onEventChannel });
  },
  /**
   * Hands a running performance a command; false once it has ended.
   */
  conduct: (performance: string, command: Command) => invoke<boolean>("conduct", { performance, command }),
  /**
   * Every recorded performance, newest first.
   */
  performances: () => invoke<Summary[]>("performances"),
  /**
   * Every event of a performance, tokens too: the studio folds them for replay.
   */
  performanceEvents: (id: string) => invoke<Event[]>("performance_events", { id }),
  /**
   * Goes on with an interrupted performance from its last finished cue, with the score, seed and
   * rehearsal setting it was recorded with; only the new stretch streams over `on_event` (it opens
   * with `performance_started` and `resumed: true`). Refuses a finished one, one still conducted
   * by a live process, and one whose programs are not trusted (unless it was a rehearsal). Every
   * attempt of the new stretch plays within `bounds`, the studio's settings as they are now.
   */
  resumePerformance: (id: string, bounds: AttemptBounds, onEvent: (message: Event[]) => void) => {
    const onEventChannel = new Channel<Event[]>();
    onEventChannel.onmessage = onEvent;
    return invoke<string>("resume_performance", { id, bounds, onEvent: onEventChannel });
  },
  /**
   * Performance `left` and performance `right` side by side: each player's outcome, output (word
   * by word), choruses, time, tokens and cost, and the recorded scores line by line.
   */
  comparePerformances: (left: string, right: string) => invoke<Comparison>("compare_performances", { left, right }),
  /**
   * The performance of the same score that started just before `id`, if any: what "compare with
   * the previous one" compares with.
   */
  previousPerformance: (id: string) => invoke<string | null>("previous_performance", { id }),
  /**
   * Each player's part in performance `id`: outcome, output, choruses, time, tokens, cost (failed
   * and retried attempts included) and the shared-context version it played from.
   */
  performancePlayers: (id: string) => invoke<PlayerRun[]>("performance_players", { id }),
  /**
   * Re-runs performance `id` from `player` as a new performance and returns its id at once; its
   * events stream over `on_event` like a performance's (the players before `player` arrive as
   * `player_carried`). Plays the score recorded with `id`, or the score file at `score_path` as it
   * is now when given. Refuses an unknown player, a score with problems, bounds out of range and,
   * unless `offline`, a score that is not trusted.
   */
  forkPerformance: (id: string, player: string, offline: boolean, scorePath: string | null, bounds: AttemptBounds, onEvent: (message: Event[]) => void) => {
    const onEventChannel = new Channel<Event[]>();
    onEventChannel.onmessage = onEvent;
    return invoke<string>("fork_performance", { id, player, offline, scorePath, bounds, onEvent: onEventChannel });
  },
  /**
   * What the score would run, send and read outside its folder, and whether the user trusted it.
   */
  scoreTrust: (score: Score, path: string | null) => invoke<ScoreTrust>("score_trust", { score, path }),
  /**
   * Trusts all the score would do; `path` is where it is, and is remembered as where it came from.
   */
  trustScore: (score: Score, path: string | null) => invoke<null>("trust_score", { score, path }),
  /**
   * Starts or reaches tool server `server` of `player`, lists every tool it offers, and stops it.
   */
  testToolServer: (score: Score, path: string | null, player: string, server: string) => invoke<ServerTest>("test_tool_server", { score, path, player, server }),
  /**
   * Diagnoses the score from its latest `last` performances (the operations layer's default when
   * absent), its people's kept survey answers and its earlier diagnoses; the diagnosis is recorded
   * for the next trend.
   */
  diagnose: (score: Score, path: string | null, last: number | null) => invoke<Report>("diagnose", { score, path, last }),
  /**
   * The people's survey: six forced-choice scenarios and the seven psychological-safety items.
   */
  surveyQuestions: () => invoke<Questionnaire>("survey_questions"),
  /**
   * Keeps survey answers (filled in the studio, or read from a returned file) for the score.
   */
  keepSurveyAnswers: (score: Score, path: string | null, answers: PersonAnswers[]) => invoke<null>("keep_survey_answers", { score, path, answers }),
  /**
   * Reads the answers of a returned survey file.
   */
  readSurveyFile: (path: string) => invoke<PersonAnswers[]>("read_survey_file", { path }),
  /**
   * A blank survey file for `person`, to save and send.
   */
  blankSurvey: (person: string) => invoke<string>("blank_survey", { person }),
  /**
   * The report as one self-contained HTML file (no network), printable to PDF.
   */
  diagnosisHtml: (report: Report) => invoke<string>("diagnosis_html", { report }),
  /**
   * Saves a blank survey file for `person` at `path` (a place the person picked in a save dialog).
   */
  saveBlankSurvey: (path: string, person: string) => invoke<null>("save_blank_survey", { path, person }),
  /**
   * Saves the report as one self-contained HTML file at `path`.
   */
  saveDiagnosisHtml: (path: string, report: Report) => invoke<null>("save_diagnosis_html", { path, report }),
  /**
   * What the check before an export finds: strings that look like keys, paths of this machine.
   */
  checkExport: (score: Score, path: string | null) => invoke<Finding[]>("check_export", { score, path }),
  /**
   * Writes the score as `format` to `target`. Refused with the findings unless `allow` is true
   * (after the person has seen them); a bundle needs the score saved at `path`.
   */
  exportScore: (score: Score, path: string | null, format: ExportFormat, target: string, allow: boolean) => invoke<null>("export_score", { score, path, format, target, allow }),
  /**
   * The file name an export of `format` gets by default, beside the score when it has a file.
   */
  exportTarget: (score: Score, path: string | null, format: ExportFormat) => invoke<string>("export_target", { score, path, format }),
  /**
   * Opens a `.score.zip` bundle into the folder `into`; nothing is written when it is refused.
   */
  openBundle: (bundle: string, into: string) => invoke<OpenedBundle>("open_bundle", { bundle, into }),
  /**
   * Imports a CrewAI project (its folder, agents.yaml or tasks.yaml), a LangGraph graph (.json)
   * or a bundle into the folder `into`; nothing is written when it is refused. The score written
   * is untrusted like any score from elsewhere.
   */
  importProject: (source: string, into: string) => invoke<ImportedScore>("import_project", { source, into }),
  /**
   * "Copy as image": the score's picture at 2x on the system clipboard, after the same check as
   * any export (refused with the findings unless `allow`).
   */
  copyPicture: (score: Score, path: string | null, allow: boolean) => invoke<null>("copy_picture", { score, path, allow }),
  /**
   * What the check before a report finds in the score recorded with performance `id`.
   */
  checkReport: (id: string) => invoke<Finding[]>("check_report", { id }),
  /**
   * The file name a report of performance `id` as `format` gets by default.
   */
  reportName: (id: string, format: ReportFormat) => invoke<string>("report_name", { id, format }),
  /**
   * Writes the report of performance `id` as `format` (an HTML page, or OTLP JSON traces) to
   * `target`. Refused with the findings unless `allow` is true (after the person has seen them).
   */
  saveReport: (id: string, format: ReportFormat, target: string, allow: boolean) => invoke<null>("save_report", { id, format, target, allow }),
  /**
   * Posts performance `id` as OTLP JSON traces to the OTLP/HTTP receiver at `endpoint`; returns
   * the URL they were sent to. Refused with the findings unless `allow` is true.
   */
  sendTraces: (id: string, endpoint: string, allow: boolean) => invoke<string>("send_traces", { id, endpoint, allow }),
};
