/**
 * The people's survey: fill it in here for someone, import a returned survey file, or take a
 * blank one to send. Answers are kept with the score's diagnoses (in the performance store); a
 * shown diagnosis is made again so they count at once.
 */
import { open, save } from "@tauri-apps/plugin-dialog";
import { useState } from "react";
import { notify } from "../app/notices";
import { documentStore } from "../app/studio";
import { errorMessage, ipc } from "../ipc";
import { diagnose, diagnosis } from "./diagnosis";
import { SurveyDialog } from "./SurveyDialog";
import { TextDialog } from "./TextDialog";

const SURVEY_FILTER = [{ name: "Survey", extensions: ["toml"] }];

function refresh(): void {
  if (diagnosis.getState().report) void diagnose();
}

async function importFrom(path: string): Promise<void> {
  const { score, path: scorePath } = documentStore.getState();
  if (!score) return;
  try {
    const answers = await ipc.readSurveyFile(path);
    if (answers.length === 0) {
      notify("That survey file holds no answers yet.", "error");
      return;
    }
    await ipc.keepSurveyAnswers(score, scorePath, answers);
    notify(`Kept the answers of ${answers.map((a) => a.person).join(", ")}.`);
    refresh();
  } catch (error) {
    notify(`The answers were not imported: ${errorMessage(error)}`, "error");
  }
}

async function importDialog(): Promise<void> {
  try {
    const picked = await open({ multiple: false, directory: false, filters: SURVEY_FILTER });
    if (typeof picked === "string") await importFrom(picked);
  } catch (error) {
    notify(`The open dialog failed: ${errorMessage(error)}`, "error");
  }
}

/** Saves a blank survey for `person` to a file picked in the save dialog. */
async function saveBlank(person: string): Promise<void> {
  try {
    const name = person ? `${person.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.survey.toml` : "survey.toml";
    const path = await save({ defaultPath: name, filters: SURVEY_FILTER });
    if (!path) return;
    await ipc.saveBlankSurvey(path, person);
    notify(`Saved the survey to ${path}: send it, then import the returned file.`);
  } catch (error) {
    notify(`The survey was not saved: ${errorMessage(error)}`, "error");
  }
}

export function SurveyTools({ testPaths }: { testPaths: boolean }) {
  const [filling, setFilling] = useState(false);
  const [person, setPerson] = useState("");
  const [blank, setBlank] = useState<string | null>(null);
  const [testPath, setTestPath] = useState("");
  const makeBlank = async () => {
    try {
      setBlank(await ipc.blankSurvey(person.trim()));
    } catch (error) {
      notify(`No survey file: ${errorMessage(error)}`, "error");
    }
  };
  return (
    <div className="survey-tools" data-testid="survey-tools">
      <div className="row">
        <button type="button" onClick={() => setFilling(true)} data-testid="fill-survey">
          Fill in…
        </button>
        <button type="button" onClick={() => void importDialog()} data-testid="import-survey">
          Import answers…
        </button>
      </div>
      {testPaths && (
        <div className="row">
          <input aria-label="Survey file path" value={testPath} onChange={(e) => setTestPath(e.target.value)} data-testid="survey-test-path" />
          <button type="button" onClick={() => void importFrom(testPath)} data-testid="import-survey-path">
            Import path
          </button>
        </div>
      )}
      <div className="row">
        <input aria-label="Send to (a name, optional)" placeholder="Send to (name, optional)" value={person} onChange={(e) => setPerson(e.target.value)} />
        <button type="button" onClick={() => void makeBlank()} data-testid="blank-survey">
          Blank survey to send
        </button>
      </div>
      {filling && <SurveyDialog onClose={() => setFilling(false)} onKept={refresh} />}
      {blank !== null && (
        <TextDialog
          title={person.trim() ? `Survey for ${person.trim()}` : "Survey to send"}
          hint="Save it (or copy it into a file ending in .toml) and send it. The person fills in the points and answers; import the returned file here."
          text={blank}
          onClose={() => setBlank(null)}
          onSave={() => void saveBlank(person.trim())}
          testId="blank-survey-dialog"
        />
      )}
    </div>
  );
}
