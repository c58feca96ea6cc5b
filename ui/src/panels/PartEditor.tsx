/** The part (role prompt) editor: CodeMirror with line wrapping, bound to one player's part. */
import CodeMirror, { EditorView } from "@uiw/react-codemirror";
import { memo, useMemo } from "react";
import { actions } from "../app/studio";

function PartEditorView({ playerId, value, dark }: { playerId: string; value: string; dark: boolean }) {
  const extensions = useMemo(() => [EditorView.lineWrapping, EditorView.contentAttributes.of({ "aria-label": "Part" })], []);
  return (
    <div className="part-editor" data-testid="part-editor">
      <CodeMirror
        value={value}
        theme={dark ? "dark" : "light"}
        minHeight="140px"
        maxHeight="360px"
        // Undo belongs to the document (one history for every edit), not to the editor.
        basicSetup={{ lineNumbers: false, foldGutter: false, highlightActiveLine: false, history: false, historyKeymap: false }}
        extensions={extensions}
        onChange={(text) => actions.updatePlayer(playerId, (p) => ({ ...p, part: text }), "part")}
        onBlur={() => actions.settle()}
      />
    </div>
  );
}

export const PartEditor = memo(PartEditorView);
