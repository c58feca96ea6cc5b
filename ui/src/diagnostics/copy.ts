/**
 * Text onto the system clipboard. The studio has no command that writes a chosen file, so a
 * survey to send or a report is copied; when the webview refuses the clipboard, the caller still
 * shows the text for the person to select.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older webviews: copy through a selected, off-screen text field.
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.left = "-10000px";
    document.body.append(field);
    field.select();
    const copied = document.execCommand("copy");
    field.remove();
    return copied;
  }
}
