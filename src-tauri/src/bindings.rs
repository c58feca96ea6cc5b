//! The TypeScript types the webview uses, generated from the Rust types that cross IPC.
//!
//! The check below is how generated types stay in step with Rust: it exports every IPC type
//! into a temporary folder, compares each file with `ui/src/bindings`, rewrites the ones that
//! differ, and fails if any did. So a stale checkout fails once, with the list of files that
//! `cargo test -p ensemble-studio` has just regenerated; commit them and it passes.
//!
//! Values cross the same way: the canvas geometry (`canvasGeometry.ts`) and the limits, defaults
//! and lists the studio shows or checks while a person types (`engineValues.ts`) are written here
//! from their one definition in the engine crates, and compared like the types.
//!
//! The shell's own types are exported only here (no `#[ts(export)]`), so nothing else writes
//! them concurrently and the comparison sees the files as they were before the run.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use ts_rs::{Config, TS};

    use crate::autosave::Recovered;
    use crate::error::UiError;
    use crate::keys::KeychainStatus;
    use crate::startup::Startup;
    use crate::templates::Template;
    use ensemble_api::document::{ContextBadge, OpenedScore, SavedScore};
    use ensemble_api::trust::ScoreTrust;

    /// Exports every type the commands take or return, with all they depend on.
    fn export_all(cfg: &Config) -> Result<(), ts_rs::ExportError> {
        Startup::export_all(cfg)?;
        Recovered::export_all(cfg)?;
        Template::export_all(cfg)?;
        OpenedScore::export_all(cfg)?;
        SavedScore::export_all(cfg)?;
        ContextBadge::export_all(cfg)?;
        KeychainStatus::export_all(cfg)?;
        ScoreTrust::export_all(cfg)?;
        UiError::export_all(cfg)?;
        ensemble_score::Score::export_all(cfg)?;
        ensemble_score::Instrument::export_all(cfg)?;
        ensemble_score::Problem::export_all(cfg)?;
        ensemble_conductor::Event::export_all(cfg)?;
        ensemble_conductor::Command::export_all(cfg)?;
        ensemble_store::Summary::export_all(cfg)?;
        ensemble_score::Geometry::export_all(cfg)?;
        ensemble_score::ToolLimit::export_all(cfg)?;
        ensemble_diagnostics::Report::export_all(cfg)?;
        ensemble_diagnostics::Questionnaire::export_all(cfg)?;
        ensemble_diagnostics::PersonAnswers::export_all(cfg)?;
        ensemble_api::export::ExportFormat::export_all(cfg)?;
        ensemble_api::bounds::AttemptBounds::export_all(cfg)?;
        ensemble_export::Finding::export_all(cfg)?;
        ensemble_export::OpenedBundle::export_all(cfg)?;
        ensemble_api::import::ImportedScore::export_all(cfg)?;
        ensemble_api::launch::FileToOpen::export_all(cfg)?;
        ensemble_api::compare::Comparison::export_all(cfg)?;
        ensemble_api::players::PlayerRun::export_all(cfg)?;
        ensemble_api::tools::ServerTest::export_all(cfg)?;
        Ok(())
    }

    /// The canvas geometry's values, as a TypeScript constant beside its generated type (a name
    /// that differs from `Geometry.ts` by more than case, for case-insensitive file systems).
    fn geometry_constant(dir: &Path) {
        let values = serde_json::to_string_pretty(&ensemble_score::GEOMETRY).expect("the geometry is plain numbers");
        let text = format!(
            "// Generated from ensemble_score::GEOMETRY by `cargo test -p ensemble-studio`; do not edit.\n\
             import type {{ Geometry }} from \"./Geometry\";\n\n\
             /** The sizes the canvas draws with and the layout places with: one definition, in Rust. */\n\
             export const GEOMETRY: Geometry = {values};\n"
        );
        std::fs::write(dir.join("canvasGeometry.ts"), text).expect("the fresh bindings folder is writable");
    }

    /// The engine's limits, defaults and lists that the studio shows or checks while a person
    /// types, as typed TypeScript constants: each is defined once, in the crate named beside it.
    fn engine_values(dir: &Path) {
        fn json(value: &impl serde::Serialize) -> String {
            serde_json::to_string_pretty(value).expect("the engine's values are plain numbers and names")
        }
        use ensemble_api::bounds::{AttemptBounds, MAX_OUTPUT_MIB, READ_TIMEOUT_SECS};
        use ensemble_diagnostics::questionnaire::SAFETY_SCALE;
        let max_temperature = serde_json::json!({
            "openai": ensemble_score::OPENAI_MAX_TEMPERATURE,
            "anthropic": ensemble_score::ANTHROPIC_MAX_TEMPERATURE,
        });
        let bound_ranges = serde_json::json!({
            "max_output_mib": { "min": MAX_OUTPUT_MIB.start(), "max": MAX_OUTPUT_MIB.end() },
            "read_timeout_secs": { "min": READ_TIMEOUT_SECS.start(), "max": READ_TIMEOUT_SECS.end() },
        });
        let text = format!(
            "// Generated from the engine's definitions by `cargo test -p ensemble-studio`; do not edit.\n\
             import type {{ AttemptBounds }} from \"./AttemptBounds\";\n\
             import type {{ Instrument }} from \"./Instrument\";\n\
             import type {{ ToolLimit }} from \"./ToolLimit\";\n\
             import type {{ Zone }} from \"./Zone\";\n\n\
             /** The limits of a player's tool use: its key under `tools`, the engine's default when a score leaves it\n \
             * out, and the most a score may set (the least is 1). From `ensemble_score::TOOL_LIMITS`. */\n\
             export const TOOL_LIMITS = {tool_limits} as const satisfies readonly ToolLimit[];\n\n\
             /** The instrument kinds that call tools; the engine refuses tools on the others. From\n \
             * `ensemble_score::TOOL_INSTRUMENTS`. */\n\
             export const TOOL_INSTRUMENTS: readonly Instrument[\"kind\"][] = {tool_instruments};\n\n\
             /** The highest temperature each model instrument accepts (the least is 0). From\n \
             * `ensemble_score::{{OPENAI,ANTHROPIC}}_MAX_TEMPERATURE`. */\n\
             export const MAX_TEMPERATURE = {max_temperature} as const satisfies Partial<Record<Instrument[\"kind\"], number>>;\n\n\
             /** The four capability zones, in the engine's order. From `ensemble_score::Zone::ALL`. */\n\
             export const ZONES: readonly Zone[] = {zones};\n\n\
             /** The values each bound of an attempt may take, in its unit. From `ensemble_api::bounds`. */\n\
             export const ATTEMPT_BOUND_RANGES: Record<keyof AttemptBounds, {{ min: number; max: number }}> = {bound_ranges};\n\n\
             /** The bounds of an attempt until a person sets them: the instruments' own. From\n \
             * `ensemble_api::bounds::AttemptBounds::default()`. */\n\
             export const DEFAULT_ATTEMPT_BOUNDS: AttemptBounds = {default_bounds};\n\n\
             /** The points a person spreads over the four statements of one survey scenario. From\n \
             * `ensemble_diagnostics::questionnaire::POINTS_PER_SCENARIO`. */\n\
             export const POINTS_PER_SCENARIO = {points};\n\n\
             /** The answers a psychological-safety item takes, ends included. From\n \
             * `ensemble_diagnostics::questionnaire::SAFETY_SCALE`. */\n\
             export const SAFETY_SCALE: {{ min: number; max: number }} = {safety_scale};\n\n\
             /** How many of the latest performances a diagnosis reads: when not told, and the least and most it\n \
             * may be told. From `ensemble_api::diagnose::{{DEFAULT_LAST, LAST_RANGE}}`. */\n\
             export const DIAGNOSE_LAST = {diagnose_last} as const;\n",
            tool_limits = json(&ensemble_score::TOOL_LIMITS),
            tool_instruments = json(&ensemble_score::TOOL_INSTRUMENTS),
            max_temperature = json(&max_temperature),
            zones = json(&ensemble_score::Zone::ALL),
            bound_ranges = json(&bound_ranges),
            default_bounds = json(&AttemptBounds::default()),
            points = ensemble_diagnostics::questionnaire::POINTS_PER_SCENARIO,
            safety_scale = json(&serde_json::json!({ "min": SAFETY_SCALE.start(), "max": SAFETY_SCALE.end() })),
            diagnose_last = json(&serde_json::json!({
                "default": ensemble_api::diagnose::DEFAULT_LAST,
                "min": ensemble_api::diagnose::LAST_RANGE.start(),
                "max": ensemble_api::diagnose::LAST_RANGE.end(),
            })),
        );
        std::fs::write(dir.join("engineValues.ts"), text).expect("the fresh bindings folder is writable");
    }

    fn ts_files(dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = walk(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "ts")).collect();
        files.sort();
        files
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
        entries
            .flatten()
            .flat_map(|e| if e.path().is_dir() { walk(&e.path()) } else { vec![e.path()] })
            .collect()
    }

    #[test]
    fn typescript_bindings_are_current() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
        let fresh = tempfile::tempdir().expect("a temporary folder can be made");
        // Same settings as `cargo test` uses for the committed files (TS_RS_* from .cargo/config.toml).
        let cfg = Config::from_env().with_out_dir(fresh.path());
        export_all(&cfg).expect("every IPC type can be exported");
        geometry_constant(fresh.path());
        engine_values(fresh.path());

        let generated = ts_files(fresh.path());
        assert!(generated.len() > 10, "expected the whole IPC surface, got {} files", generated.len());
        let mut stale = vec![];
        for file in &generated {
            let relative = file.strip_prefix(fresh.path()).expect("walked files are inside the folder");
            let target = committed.join(relative);
            let new = std::fs::read(file).expect("a file just written can be read");
            if std::fs::read(&target).ok().as_deref() != Some(new.as_slice()) {
                std::fs::create_dir_all(target.parent().expect("a file in the bindings folder has a parent"))
                    .expect("ui/src/bindings can be created");
                std::fs::write(&target, new).expect("ui/src/bindings is writable");
                stale.push(relative.display().to_string());
            }
        }
        assert!(
            stale.is_empty(),
            "ui/src/bindings was out of date with the Rust types; these files were regenerated just now \
             (by `cargo test -p ensemble-studio`), review and commit them: {}",
            stale.join(", ")
        );
    }
}
