//! The check before an export finds each kind of secret and machine path where it is, masks it,
//! and finds nothing in the example scores.

mod common;

use ensemble_export::{Finding, FindingKind, scan, scan_with_home};
use ensemble_score::{CommandSettings, Instrument, Score};

const OPENAI: &str = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
const AWS: &str = "AKIAIOSFODNN7EXAMPLE";
const BEARER: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
const TOKEN: &str = "Zr4Tq9Lm2Xv7Bn1Kc8Wd5Hf3Js6Gp0Ya";

fn findings(score: &Score, text: &str) -> Vec<Finding> {
    scan_with_home(score, text, Some("/srv/people/alice"))
}

/// Exactly one finding of `kind`, at `place`, that does not show the whole `secret`.
fn assert_one(found: &[Finding], kind: FindingKind, place: &str, secret: &str) {
    let of_kind: Vec<&Finding> = found.iter().filter(|f| f.kind == kind).collect();
    assert_eq!(of_kind.len(), 1, "one {kind:?} expected, found {found:?}");
    assert_eq!(of_kind[0].place, place, "the finding says where it is");
    if kind != FindingKind::MachinePath && kind != FindingKind::PrivateKey {
        assert!(!of_kind[0].excerpt.contains(secret), "the excerpt must never show the whole secret: {}", of_kind[0].excerpt);
        let shown = of_kind[0].excerpt.split('…').next().unwrap_or_default();
        assert!(secret.contains(shown.trim_start_matches("Bearer ")), "the excerpt starts with the secret's first characters: {}", of_kind[0].excerpt);
    }
}

#[test]
fn each_kind_of_secret_is_found_where_it_is() {
    let mut score = common::readme_example();
    score.players[0].part = format!("Use the key {OPENAI} when you call.");
    score.intent.goal = format!("Deploy with {AWS}.");
    score.context.notes = format!("curl -H 'Authorization: Bearer {BEARER}'");
    score.players[1].part = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----".into();
    score.intent.constraints = format!("password {TOKEN}");
    let found = findings(&score, "");
    assert_eq!(found.len(), 5, "one finding per secret, none twice: {found:#?}");
    assert_one(&found, FindingKind::ApiKey, "player poet: part", OPENAI);
    assert_one(&found, FindingKind::AccessKey, "intent: goal", AWS);
    assert_one(&found, FindingKind::BearerToken, "context: notes", BEARER);
    assert_one(&found, FindingKind::PrivateKey, "player critic: part", "");
    assert_one(&found, FindingKind::Token, "intent: constraints", TOKEN);
    let message = found[0].to_string();
    assert!(message.contains("looks like"), "a finding reads as a sentence: {message}");
}

#[test]
fn machine_paths_are_found_but_urls_are_not() {
    let mut score = common::readme_example();
    score.players[0].instrument = Instrument::Command(CommandSettings {
        program: "/home/bob/bin/tool".into(),
        args: vec!["--out".into(), r"C:\Users\bob\out.txt".into()],
        cwd: Some("/srv/people/alice/work".into()),
        env: vec![],
    });
    score.players[1].part = "Read https://example.com/home/page and /Users/carol/notes.md.".into();
    let found = findings(&score, "");
    let places: Vec<(&str, &str)> = found.iter().map(|f| (f.place.as_str(), f.excerpt.as_str())).collect();
    assert!(found.iter().all(|f| f.kind == FindingKind::MachinePath), "only paths: {found:?}");
    assert_eq!(
        places,
        [
            ("player poet: instrument program", "/home/bob/bin/tool"),
            ("player poet: instrument args", r"C:\Users\bob\out.txt"),
            ("player poet: instrument cwd", "/srv/people/alice/work"),
            ("player critic: part", "/Users/carol/notes.md."),
        ],
        "each path, where it is; the URL's /home/ is not a folder of this machine"
    );
}

#[test]
fn comments_in_the_file_are_scanned_once() {
    let score = common::readme_example();
    let mut text = String::from("# key for later: ");
    text.push_str(OPENAI);
    text.push_str("\nformat = 1\n");
    let found = findings(&score, &text);
    assert_eq!(found.len(), 1, "the comment's key is found: {found:?}");
    assert_eq!(found[0].place, "file, line 1");

    // A secret in a field and also in the file text is reported once, at the field.
    let mut score = common::readme_example();
    score.players[0].part = OPENAI.into();
    let found = findings(&score, &format!("part = \"{OPENAI}\"\n"));
    assert_eq!(found.len(), 1, "not twice: {found:?}");
    assert_eq!(found[0].place, "player poet: part");
}

#[test]
fn ordinary_text_is_not_a_secret() {
    let mut score = common::readme_example();
    score.players[0].part = concat!(
        "Commit 3f786850e387550fdab836ed7e6dc881de23001b and sha256 ",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855; ",
        "send a Bearer token; name it an_extremely_long_identifier_name_for_tests. ",
        "Ask the sk-team."
    )
    .into();
    assert_eq!(findings(&score, ""), [], "digests, words and short mentions are not secrets");
}

#[test]
fn the_example_scores_are_clean() {
    for (path, score) in common::examples() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let found = scan(&score, &text);
        assert_eq!(found, [], "{} must be safe to share", path.display());
    }
    let readme = common::readme_example();
    assert_eq!(scan(&readme, ""), [], "the README example is clean");
}
