/**
 * Filling in the survey in the studio for one named person: six scenarios with 10 points to spread
 * over four statements each (a running total per scenario), then seven statements about the team
 * on a 1 to 7 scale. Nothing is kept until every rule holds; the problems are listed instead.
 */
import { useEffect, useState } from "react";
import type { Questionnaire } from "../bindings/Questionnaire";
import { notify } from "../app/notices";
import { documentStore } from "../app/studio";
import { errorMessage, ipc } from "../ipc";
import { Modal } from "../panels/Modal";
import { diagnosis } from "./diagnosis";
import { answersOf, blankDraft, draftProblems, POINTS_PER_SCENARIO, scenarioTotal, SCALE_MAX, SCALE_MIN, type Draft } from "./survey";

const SCALE = Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, i) => SCALE_MIN + i);

export function SurveyDialog({ onClose, onKept }: { onClose: () => void; onKept: () => void }) {
  const [questionnaire, setQuestionnaire] = useState<Questionnaire | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let cancelled = false;
    ipc
      .surveyQuestions()
      .then((q) => {
        if (cancelled) return;
        setQuestionnaire(q);
        setDraft(blankDraft(q));
      })
      .catch((e) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, []);

  const setPoints = (scenario: number, statement: number, value: number) =>
    setDraft((d) => d && { ...d, points: d.points.map((row, i) => (i === scenario ? row.map((p, j) => (j === statement ? value : p)) : row)) });
  const setItem = (item: number, value: number) => setDraft((d) => d && { ...d, items: d.items.map((a, i) => (i === item ? value : a)) });

  const keep = async () => {
    const { score, path } = documentStore.getState();
    if (!draft || !score) return;
    const found = draftProblems(draft);
    setProblems(found);
    if (found.length > 0) return;
    setSaving(true);
    try {
      await ipc.keepSurveyAnswers(score, path, [answersOf(draft)]);
      // A shown diagnosis is made again at once (onKept); otherwise the next one reads them.
      const shown = diagnosis.getState().report !== null;
      notify(`Kept ${draft.person.trim()}'s answers${shown ? ": the diagnosis is made again with them." : ". The next diagnosis reads them."}`);
      onKept();
      onClose();
    } catch (e) {
      setProblems([`Not kept: ${errorMessage(e)}`]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title="Survey" onClose={onClose} testId="survey-dialog">
      {error && <p className="error">The questions could not be read: {error}</p>}
      {!questionnaire || !draft ? (
        !error && <p className="hint">Reading the questions…</p>
      ) : (
        <form
          className="survey"
          onSubmit={(e) => {
            e.preventDefault();
            void keep();
          }}
        >
          <div className="field">
            <label htmlFor="survey-person">Who is answering</label>
            <input
              id="survey-person"
              value={draft.person}
              onChange={(e) => setDraft({ ...draft, person: e.target.value })}
              placeholder="A name; a human player whose “who” is this name is played by this person"
              data-testid="survey-person"
            />
          </div>
          <h3>How you work</h3>
          <p className="hint">{questionnaire.alignment_instructions}</p>
          {questionnaire.scenarios.map((scenario, i) => {
            const total = scenarioTotal(draft.points[i]);
            return (
              <fieldset key={scenario.id} className={`scenario${total === POINTS_PER_SCENARIO ? "" : " off"}`} data-testid={`scenario-${i + 1}`}>
                <legend>
                  {i + 1}. {scenario.prompt}
                </legend>
                {scenario.statements.map((statement, j) => (
                  <label key={j} className="statement">
                    <input
                      type="number"
                      min={0}
                      max={POINTS_PER_SCENARIO}
                      step={1}
                      value={draft.points[i][j]}
                      onChange={(e) => setPoints(i, j, e.target.value === "" ? 0 : Number(e.target.value))}
                      aria-label={`Points for: ${statement.text}`}
                    />
                    <span>{statement.text}</span>
                  </label>
                ))}
                <div className="scenario-total" aria-live="polite" data-testid="scenario-total">
                  {total} of {POINTS_PER_SCENARIO} points
                </div>
              </fieldset>
            );
          })}
          <h3>Your team</h3>
          <p className="hint">{questionnaire.safety_instructions}</p>
          {questionnaire.safety_items.map((item, i) => (
            <fieldset key={item.number} className="safety-item" data-testid={`safety-${item.number}`}>
              <legend>{item.text}</legend>
              <div className="scale" role="radiogroup" aria-label={item.text}>
                <span className="scale-end">{questionnaire.scale_labels[0]}</span>
                {SCALE.map((n) => (
                  <label key={n} className="radio">
                    <input type="radio" name={`safety-${item.number}`} value={n} checked={draft.items[i] === n} onChange={() => setItem(i, n)} />
                    {n}
                  </label>
                ))}
                <span className="scale-end">{questionnaire.scale_labels[1]}</span>
              </div>
            </fieldset>
          ))}
          <div className="survey-footer">
            {problems.length > 0 && (
              <ul className="inline-problems" role="alert" data-testid="survey-problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
            <div className="actions">
              <button type="submit" className="primary" disabled={saving} data-testid="survey-keep">
                {saving ? "Keeping…" : "Keep answers"}
              </button>
              <button type="button" onClick={onClose}>
                Cancel
              </button>
            </div>
          </div>
        </form>
      )}
    </Modal>
  );
}
