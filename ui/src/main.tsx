import "@xyflow/react/dist/style.css";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { watchFiles } from "./app/files";
import { watchOpenedFiles } from "./app/opened";
import { applyTheme, loadSettings, settings } from "./app/settings";
import { watchTrust } from "./app/trust";
import { watchValidation } from "./app/validation";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

watchValidation();
watchFiles();
watchOpenedFiles();
watchTrust();
void loadSettings();
window
  .matchMedia?.("(prefers-color-scheme: dark)")
  .addEventListener("change", () => applyTheme(settings.getState().theme));

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
