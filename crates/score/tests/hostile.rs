//! Hostile or broken input: always a problem with a place, never a panic, a hang or a half score.

mod common;

use common::{BASE, at};
use ensemble_score::{LoadError, Rule};

fn load_bytes(bytes: &[u8]) -> Vec<ensemble_score::Problem> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("hostile.score.toml");
    std::fs::write(&path, bytes).expect("write the test file");
    match ensemble_score::load(&path) {
        Err(LoadError::Invalid { problems, .. }) => problems,
        Err(other) => panic!("expected problems, got {other}"),
        Ok(_) => panic!("a hostile file loaded"),
    }
}

#[test]
fn a_file_over_8_mib_is_refused() {
    let mut bytes = BASE.as_bytes().to_vec();
    bytes.extend(std::iter::repeat_n(b'#', 8 * 1024 * 1024));
    let found = load_bytes(&bytes);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, Rule::Unreadable);
    assert!(found[0].message.contains("8 MiB"), "{}", found[0].message);
    // The same text handed over as a string.
    let text = String::from_utf8(bytes).expect("ASCII is UTF-8");
    assert_eq!(ensemble_score::parse(&text, None).expect_err("too large")[0].rule, Rule::Unreadable);
}

#[test]
fn binary_data_is_refused_with_its_place() {
    let text = BASE.replace("Ship it", "Ship\0it");
    let found = ensemble_score::parse(&text, None).expect_err("binary");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, Rule::Unreadable);
    let (line, column) = at(&text, "\0", 0);
    assert_eq!((found[0].line, found[0].column), (Some(line), Some(column)));
    let png = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d];
    assert_eq!(load_bytes(&png)[0].rule, Rule::Unreadable);
}

#[test]
fn invalid_utf8_says_where() {
    let mut bytes = b"format = 1\ntitle = \"caf".to_vec();
    bytes.push(0xe9); // Latin-1 é
    bytes.extend(b"\"\n");
    let found = load_bytes(&bytes);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, Rule::Unreadable);
    assert_eq!((found[0].line, found[0].column), (Some(2), Some(13)));
    assert!(found[0].message.contains("byte 23"), "{}", found[0].message);
}

#[test]
fn syntax_error_is_one_problem_with_its_place() {
    let text = BASE.replace("goal = \"Ship it\"", "goal = \"Ship it");
    let found = ensemble_score::parse(&text, None).expect_err("broken string");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].rule, Rule::Syntax);
    assert_eq!(found[0].line, Some(at(&text, "goal", 0).0));
    assert!(found[0].column.is_some_and(|c| c > 1));
}

#[test]
fn deeply_nested_arrays_are_refused() {
    let depth = 10_000;
    let text = format!("format = 1\nx = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let found = ensemble_score::parse(&text, None).expect_err("too deep");
    assert_eq!(found[0].rule, Rule::Syntax);
    assert_eq!(found[0].line, Some(2));
}

#[test]
fn deeply_nested_inline_tables_are_refused() {
    let depth = 5_000;
    let text = format!("format = 1\nx = {}1{}\n", "{ a = ".repeat(depth), " }".repeat(depth));
    let found = ensemble_score::parse(&text, None).expect_err("too deep");
    assert_eq!(found[0].rule, Rule::Syntax);
}

#[test]
fn deeply_nested_dotted_tables_are_refused_or_reported() {
    let text = format!("{BASE}\n[{}]\n", vec!["a"; 5_000].join("."));
    let found = ensemble_score::parse(&text, None).expect_err("not a score key");
    assert!(matches!(found[0].rule, Rule::Syntax | Rule::UnknownKey), "{found:#?}");
}

#[test]
fn huge_arrays_are_reported_not_loaded() {
    // A million-element list where a list of files is expected, kept under the size limit.
    let items = vec!["1"; 1_000_000].join(",");
    let text = BASE.replace("[[sections]]", &format!("[context]\nfiles = [{items}]\n\n[[sections]]"));
    let found = ensemble_score::parse(&text, None).expect_err("files must be text");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, Rule::WrongType);
    assert_eq!(found[0].line, Some(at(&text, "files", 0).0));
}

#[test]
fn wrong_shapes_at_the_top_are_reported() {
    let text = "format = 1\ntitle = 3\nintent = \"x\"\nplayers = 5\ncues = [1]\n";
    let found = ensemble_score::parse(text, None).expect_err("nothing has the right shape");
    let rules: Vec<Rule> = found.iter().map(|p| p.rule).collect();
    assert_eq!(rules, [Rule::WrongType; 4], "{found:#?}");
    assert_eq!(found[0].line, Some(2));
    assert_eq!(found[1].line, Some(3));
    assert_eq!(found[2].line, Some(4));
    assert_eq!(found[3].line, Some(5));
}

#[test]
fn format_as_text_is_a_wrong_type() {
    let text = BASE.replace("format = 1", "format = \"1\"");
    let found = ensemble_score::parse(&text, None).expect_err("format must be a number");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, Rule::WrongType);
}

#[test]
fn empty_file_says_what_is_missing() {
    let found = ensemble_score::parse("", None).expect_err("empty");
    let rules: Vec<Rule> = found.iter().map(|p| p.rule).collect();
    assert_eq!(rules, [Rule::Format, Rule::MissingKey, Rule::MissingKey], "{found:#?}");
    assert!(found.iter().all(|p| p.line == Some(1) && p.column == Some(1)));
}
