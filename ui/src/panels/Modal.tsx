/** A modal dialog on the native <dialog> element: focus is trapped and Escape closes it. */
import { useEffect, useRef, type ReactNode } from "react";

export function Modal({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="modal" aria-label={title} onClose={onClose} data-testid={testId}>
      <header>
        <h2>{title}</h2>
        <button type="button" className="link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
