/**
 * The question after the check before sharing found something: each finding's kind, where it
 * is and a masked excerpt (the shell never sends a secret whole), then "Export anyway" or
 * "Cancel". Closing the dialog any other way (Escape, ×) cancels.
 */
import { useEffect, useRef } from "react";
import { useStore } from "zustand";
import { Modal } from "../panels/Modal";
import { findingKind, findingsQuestion } from "./check";

export function FindingsDialog() {
  const question = useStore(findingsQuestion, (s) => s.question);
  const cancel = useRef<HTMLButtonElement>(null);
  // Cancel has the focus first: Enter alone never sends a secret.
  useEffect(() => {
    if (!question) return;
    const timer = setTimeout(() => cancel.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [question]);
  if (!question) return null;
  const { findings, what, answer } = question;
  const count = findings.length === 1 ? "one thing" : `${findings.length} things`;
  return (
    <Modal title="Check before sharing" onClose={() => answer(false)} testId="export-findings">
      <p>
        The check found {count} in this score that should not leave this computer. Sharing {what} would carry{" "}
        {findings.length === 1 ? "it" : "them"} along:
      </p>
      <table className="findings">
        <thead>
          <tr>
            <th scope="col">what</th>
            <th scope="col">where</th>
            <th scope="col">excerpt (masked)</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((finding, i) => (
            <tr key={i} data-testid="finding">
              <td>{findingKind(finding.kind)}</td>
              <td>{finding.place}</td>
              <td>
                <code>{finding.excerpt}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Keys belong in the OS keychain or an environment variable (<code>key = {"{ env = \"NAME\" }"}</code>); paths
        inside the workspace can be written relative to it.
      </p>
      <div className="findings-actions">
        <button type="button" className="danger" onClick={() => answer(true)} data-testid="findings-export">
          Export anyway
        </button>
        <button ref={cancel} type="button" className="primary" onClick={() => answer(false)} data-testid="findings-cancel">
          Cancel
        </button>
      </div>
    </Modal>
  );
}
