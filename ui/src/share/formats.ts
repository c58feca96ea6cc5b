/**
 * What a score can be shared as, in the order the Share menu lists them: the label a person
 * reads, the file type the save dialog offers, and the name of the thing in a notice.
 */
import type { ExportFormat } from "../ipc";

export type ShareFormat = {
  format: ExportFormat;
  /** The menu item. */
  label: string;
  /** What a notice calls the written file ("Saved the picture (SVG) as …"). */
  noun: string;
  /** The save dialog's filter. */
  filter: { name: string; extensions: string[] };
  /** Starts a new group in the menu. */
  groupStart?: boolean;
};

export const SHARE_FORMATS: ShareFormat[] = [
  { format: "svg", label: "Picture (SVG)", noun: "the picture (SVG)", filter: { name: "SVG picture", extensions: ["svg"] } },
  { format: "png", label: "Picture (PNG)", noun: "the picture (PNG)", filter: { name: "PNG picture", extensions: ["png"] } },
  { format: "png2x", label: "Picture (PNG 2x)", noun: "the picture (PNG 2x)", filter: { name: "PNG picture", extensions: ["png"] } },
  {
    format: "mermaid",
    label: "Mermaid flowchart",
    noun: "the Mermaid flowchart",
    filter: { name: "Mermaid flowchart", extensions: ["mmd"] },
    groupStart: true,
  },
  { format: "markdown", label: "Program notes (Markdown)", noun: "the program notes", filter: { name: "Markdown", extensions: ["md"] } },
  {
    format: "zip",
    label: "Bundle (.score.zip)",
    noun: "the bundle",
    filter: { name: "Score bundle", extensions: ["zip"] },
    groupStart: true,
  },
];

export function shareFormat(format: ExportFormat): ShareFormat {
  const found = SHARE_FORMATS.find((f) => f.format === format);
  if (!found) throw new Error(`no share format ${format}`);
  return found;
}
