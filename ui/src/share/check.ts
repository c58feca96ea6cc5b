/**
 * The check before anything leaves the machine. The shell looks for what must not be shared
 * (strings that look like keys, absolute paths of this computer); when it finds any, they are
 * listed and the person decides. Only "Export anyway" lets an export go ahead with `allow`; the
 * shell refuses an export with findings unless allowed, so nothing slips out unseen.
 */
import { createStore } from "zustand/vanilla";
import { ipc, type Finding, type Score } from "../ipc";

/** The question on screen: what was found, for what, and how to answer. */
export type FindingsQuestion = { findings: Finding[]; what: string; answer: (go: boolean) => void };

export const findingsQuestion = createStore<{ question: FindingsQuestion | null }>(() => ({ question: null }));

/** Asks about `findings`; resolves once the person has answered (a new question cancels an old one). */
function ask(findings: Finding[], what: string): Promise<boolean> {
  return new Promise((resolve) => {
    findingsQuestion.getState().question?.answer(false);
    const answer = (go: boolean) => {
      if (findingsQuestion.getState().question?.answer === answer) findingsQuestion.setState({ question: null });
      resolve(go);
    };
    findingsQuestion.setState({ question: { findings, what, answer } });
  });
}

/**
 * Runs the check for sharing `what` (e.g. "the picture (SVG)"). Returns `null` when the person
 * said no, else whether the export must be allowed past findings they have seen.
 */
export async function checkBeforeSharing(score: Score, path: string | null, what: string): Promise<{ allow: boolean } | null> {
  const findings = await ipc.checkExport(score, path);
  if (findings.length === 0) return { allow: false };
  return (await ask(findings, what)) ? { allow: true } : null;
}

/**
 * The same check for a report of recorded performance `id`: it runs on the score recorded with
 * the performance. Returns `null` when the person said no, else whether to allow past findings.
 */
export async function checkBeforeReporting(id: string, what: string): Promise<{ allow: boolean } | null> {
  const findings = await ipc.checkReport(id);
  if (findings.length === 0) return { allow: false };
  return (await ask(findings, what)) ? { allow: true } : null;
}

/** How a finding's kind reads in the list. */
export function findingKind(kind: Finding["kind"]): string {
  switch (kind) {
    case "api_key":
      return "API key";
    case "access_key":
      return "access key";
    case "bearer_token":
      return "bearer token";
    case "private_key":
      return "private key";
    case "token":
      return "token";
    case "machine_path":
      return "path of this computer";
  }
}
