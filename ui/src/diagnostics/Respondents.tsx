/**
 * Who answered the survey, as the shown diagnosis read the stored answers: each person, the day
 * their answers were kept, their primary zones and which part of the survey counted. So a leader
 * sees whose voice the people's numbers carry, and whom to ask again.
 */
import { Fragment } from "react";
import type { Report } from "../bindings/Report";
import type { Respondent } from "../bindings/Respondent";
import { ZONE_INFO } from "../score/zones";
import { zoneTitle } from "./report";

/** The day answers were kept, in the person's own date format; "unknown" when not recorded. */
export function answeredOn(ms: number | null): string {
  return ms === null ? "unknown" : new Date(ms).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** Which parts of the survey counted (invalid answers are left out, and the notes say why). */
export function counted(r: Respondent): string {
  if (r.questionnaire && r.safety) return "questionnaire and safety";
  if (r.questionnaire) return "questionnaire";
  if (r.safety) return "safety";
  return "nothing counted (see the notes)";
}

function Primary({ respondent: r }: { respondent: Respondent }) {
  if (!r.questionnaire) return <span className="hint">—</span>;
  if (r.primary.length === 0) return <span className="hint">no zone stands out</span>;
  return (
    <>
      {r.primary.map((z, i) => (
        <Fragment key={z}>
          {i > 0 && " "}
          <span className="primary-zone">
            <span className="zone-swatch" style={{ background: ZONE_INFO[z].colour }} aria-hidden />
            {zoneTitle(z)}
            {i < r.primary.length - 1 && ","}
          </span>
        </Fragment>
      ))}
    </>
  );
}

export function Respondents({ report }: { report: Report }) {
  if (report.respondents.length === 0) {
    return (
      <p className="empty" data-testid="respondents-none">
        Nobody has answered the survey for this score yet.
      </p>
    );
  }
  return (
    <table className="respondents" data-testid="respondents">
      <caption>Answered the survey</caption>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Answered</th>
          <th scope="col">Primary zones</th>
        </tr>
      </thead>
      <tbody>
        {report.respondents.map((r) => (
          <tr key={r.person} data-person={r.person}>
            <th scope="row">
              <span className="person">{r.person}</span>
              <span className={`counted ${r.questionnaire || r.safety ? "" : "warn"}`}>{counted(r)}</span>
            </th>
            <td className="answered">{answeredOn(r.answered_ms)}</td>
            <td className="primary">
              <Primary respondent={r} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
