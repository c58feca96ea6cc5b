//! The JSON Schema of a score, generated from the model and shipped in `assets/`.

/// The JSON Schema of the score model, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(crate::Score);
    serde_json::to_string_pretty(&schema).expect("a generated schema always serialises") + "\n"
}
