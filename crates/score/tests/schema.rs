//! The shipped JSON Schema (`assets/score.schema.json`) is the one generated from the model.
//!
//! To regenerate it after changing the model: `ENSEMBLE_WRITE_SCHEMA=1 cargo test -p ensemble-score schema`.

use std::path::Path;

#[test]
fn schema_file_is_in_sync_with_the_model() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/score.schema.json");
    let generated = ensemble_score::json_schema();
    if std::env::var_os("ENSEMBLE_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("assets/score.schema.json is writable");
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == generated,
        "{} differs from the schema generated from the model; regenerate it with \
         `ENSEMBLE_WRITE_SCHEMA=1 cargo test -p ensemble-score schema`",
        path.display()
    );
}

#[test]
fn schema_describes_the_score() {
    let schema: serde_json::Value = serde_json::from_str(&ensemble_score::json_schema()).expect("the schema is JSON");
    let required = schema["required"].as_array().expect("the score has required keys");
    for key in ["format", "title", "intent"] {
        assert!(required.iter().any(|k| k == key), "{key} is required");
    }
    assert!(schema["$defs"]["Player"]["properties"]["part"].is_object());
}
