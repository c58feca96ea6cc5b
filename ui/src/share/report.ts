/**
 * A recorded performance, shared: its report as one HTML page that opens anywhere, or its
 * traces as OTLP JSON for a tracing tool, saved to a file the person picks or sent to the OTLP/HTTP
 * receiver set in the settings. The score recorded with the performance is checked first, as for
 * any export, and nothing is written or sent past what the check found until the person says so.
 */
import { save } from "@tauri-apps/plugin-dialog";
import type { ReportFormat } from "../bindings/ReportFormat";
import type { Summary } from "../bindings/Summary";
import { fileName } from "../app/files";
import { notify } from "../app/notices";
import { settings } from "../app/settings";
import { errorMessage, ipc } from "../ipc";
import { checkBeforeReporting } from "./check";
import { testPath } from "./destination";

const FORMATS: Record<ReportFormat, { noun: string; filter: { name: string; extensions: string[] } }> = {
  html: { noun: "the report", filter: { name: "Performance report (HTML)", extensions: ["html"] } },
  otlp: { noun: "the traces", filter: { name: "OpenTelemetry traces (OTLP JSON)", extensions: ["json"] } },
};

/** The file to write to: the save dialog at the default name, or in test mode the test path field. */
async function destination(id: string, format: ReportFormat): Promise<string | null> {
  const typed = testPath.getState();
  if (typed.enabled && typed.value.trim()) return typed.value.trim();
  const suggested = await ipc.reportName(id, format);
  if (typed.enabled) return suggested;
  const picked = await save({ defaultPath: suggested, filters: [FORMATS[format].filter] });
  return typeof picked === "string" ? picked : null;
}

/** "Save report…" (html) and "Export traces…" (otlp) for the performance `summary`. */
export async function saveReport(summary: Summary, format: ReportFormat): Promise<void> {
  const { noun } = FORMATS[format];
  try {
    const checked = await checkBeforeReporting(summary.id, `${noun} of this performance`);
    if (!checked) {
      notify(`Nothing saved: ${noun} was not written.`);
      return;
    }
    const target = await destination(summary.id, format);
    if (!target) return;
    await ipc.saveReport(summary.id, format, target, checked.allow);
    notify(`Saved ${noun} of “${summary.title}” to ${fileName(target)}`);
  } catch (error) {
    notify(`Could not save ${noun}: ${errorMessage(error)}`, "error");
  }
}

/** "Send traces": the performance as OTLP JSON, posted to the receiver set in the settings. */
export async function sendTraces(summary: Summary): Promise<void> {
  const endpoint = settings.getState().otlpEndpoint.trim();
  if (!endpoint) {
    notify("Set the OTLP/HTTP receiver in Settings first, or save the traces to a file.", "error");
    return;
  }
  try {
    const checked = await checkBeforeReporting(summary.id, "the traces of this performance");
    if (!checked) {
      notify("Nothing sent: the traces stayed on this computer.");
      return;
    }
    const sentTo = await ipc.sendTraces(summary.id, endpoint, checked.allow);
    notify(`Sent the traces of “${summary.title}” to ${sentTo}`);
  } catch (error) {
    notify(`Could not send the traces: ${errorMessage(error)}`, "error");
  }
}
