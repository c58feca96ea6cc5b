/**
 * A text to take away (a survey file to send, a report), shown in full with a Copy button, and a
 * Save button when the caller can write it to a file the person picks.
 */
import { useState } from "react";
import { Modal } from "../panels/Modal";
import { copyText } from "./copy";

export function TextDialog({
  title,
  hint,
  text,
  onClose,
  onSave,
  testId,
}: {
  title: string;
  hint: string;
  text: string;
  onClose: () => void;
  onSave?: () => void;
  testId: string;
}) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <Modal title={title} onClose={onClose} testId={testId}>
      <p className="hint">{hint}</p>
      <textarea className="take-away" readOnly rows={16} value={text} aria-label={title} onFocus={(e) => e.currentTarget.select()} data-testid="take-away" />
      <div className="actions">
        <button type="button" className="primary" onClick={() => void copyText(text).then(setCopied)} data-testid="copy-text">
          Copy
        </button>
        {onSave && (
          <button type="button" onClick={onSave} data-testid="save-text">
            Save…
          </button>
        )}
        {copied === true && <span className="ok">Copied to the clipboard.</span>}
        {copied === false && <span className="error">The clipboard refused it: select the text above and copy it.</span>}
      </div>
    </Modal>
  );
}
