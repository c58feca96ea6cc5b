//! Each rule a score can break, reported with its rule, a useful message and the right place.

mod common;

use common::{BASE, at, one, problems};
use ensemble_score::{Rule, Target};

#[test]
fn the_base_score_is_valid() {
    let score = ensemble_score::parse(BASE, None).expect("BASE is a valid score");
    assert_eq!(score.players.len(), 2);
    assert!(ensemble_score::validate(&score, None).is_empty());
}

fn with(extra: &str) -> String {
    format!("{BASE}{extra}")
}

#[test]
fn missing_format_says_what_to_add() {
    let text = BASE.replace("format = 1\n", "");
    let p = one(&text, Rule::Format, "title", 0);
    assert!(p.message.contains("format = 1"), "{}", p.message);
}

#[test]
fn newer_format_says_what_to_do() {
    let text = BASE.replace("format = 1", "format = 2");
    let p = one(&text, Rule::Format, "2", 0);
    assert!(p.message.contains("this file is format 2; this build of Ensemble Studio reads format 1"), "{}", p.message);
    assert!(p.message.contains("newer"), "{}", p.message);
}

#[test]
fn unknown_keys_are_all_reported_with_suggestions() {
    let text = BASE
        .replace("part = \"Write it.\"", "promt = \"Write it.\"\npart = \"x\"")
        .replace("zone = \"improver\"", "zone = \"improver\"\ncolour = \"red\"")
        .replace("goal = \"Ship it\"", "goal = \"Ship it\"\nwhy_ = \"x\"");
    let found = problems(&text);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found.iter().all(|p| p.rule == Rule::UnknownKey));
    let promt = found.iter().find(|p| p.message.contains("`promt`")).expect("promt is reported");
    assert_eq!(promt.message, "unknown key `promt` in player `a` (did you mean `part`?)");
    assert_eq!((promt.line, promt.column), {
        let (l, c) = at(&text, "promt", 0);
        (Some(l), Some(c))
    });
    assert_eq!(promt.target, Target::Player { id: "a".into() });
    let colour = found.iter().find(|p| p.message.contains("`colour`")).expect("colour is reported");
    assert_eq!(colour.line, Some(at(&text, "colour", 0).0));
    assert!(colour.message.contains("known keys"), "{}", colour.message);
    let why = found.iter().find(|p| p.message.contains("`why_`")).expect("why_ is reported");
    assert!(why.message.contains("did you mean `why`"), "{}", why.message);
    assert_eq!(why.target, Target::Intent);
}

#[test]
fn unknown_keys_in_nested_tables_and_at_the_top() {
    let text = with("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\n")
        .replace("title = \"Small\"", "title = \"Small\"\ntitel = \"x\"")
        .replace("kind = \"rehearsal\"\n\n[[players]]", "kind = \"rehearsal\"\nlatency = 5\n\n[[players]]")
        .replace("zone = \"integrator\"", "zone = \"integrator\"\nposition = { x = 1.0, y = 2.0, z = 3.0 }");
    let found = problems(&text);
    let messages: Vec<&str> = found.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(found.len(), 3, "{messages:#?}");
    assert!(messages.iter().any(|m| m.starts_with("unknown key `titel` in the score (did you mean `title`?)")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.starts_with("unknown key `latency` in the instrument of player `a`")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.starts_with("unknown key `position.z` in section `build`")), "{messages:#?}");
    let z = found.iter().find(|p| p.message.contains("position.z")).expect("z reported");
    assert_eq!((z.line, z.column), { let (l, c) = at(&text, "z = 3.0", 0); (Some(l), Some(c)) });
}

#[test]
fn wrong_types_are_reported_per_element() {
    let text = BASE
        .replace("name = \"A\"", "name = \"A\"\ntimeout_secs = \"soon\"")
        .replace("name = \"B\"", "name = 7");
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|p| p.rule == Rule::WrongType), "{found:#?}");
    assert_eq!(found[0].target, Target::Player { id: "a".into() });
    assert_eq!((found[0].line, found[0].column), { let (l, c) = at(&text, "\"soon\"", 0); (Some(l), Some(c)) });
    assert_eq!(found[1].target, Target::Player { id: "b".into() });
    assert_eq!((found[1].line, found[1].column), { let (l, c) = at(&text, "7", 0); (Some(l), Some(c)) });
}

#[test]
fn unknown_zone_lists_the_zones() {
    let text = BASE.replace("zone = \"improver\"", "zone = \"improvr\"");
    let p = one(&text, Rule::WrongType, "\"improvr\"", 0);
    assert!(p.message.contains("innovator") && p.message.contains("stabilizer"), "{}", p.message);
}

#[test]
fn missing_required_keys_are_each_reported() {
    let text = BASE.replace("name = \"B\"\n", "").replace("part = \"Check it.\"\n", "");
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|p| p.rule == Rule::MissingKey));
    assert!(found.iter().any(|p| p.message == "player `b` has no `name`, which is required"));
    assert!(found.iter().any(|p| p.message == "player `b` has no `part`, which is required"));
    assert!(found.iter().all(|p| p.line == Some(at(&text, "[[players]]", 1).0)), "{found:#?}");
}

#[test]
fn unknown_instrument_kind_lists_the_kinds() {
    let text = BASE.replacen("kind = \"rehearsal\"", "kind = \"olama\"", 1);
    let p = one(&text, Rule::UnknownInstrument, "\"olama\"", 0);
    assert!(p.message.contains("rehearsal, command, openai, anthropic, human"), "{}", p.message);
    assert!(p.message.contains("player `a`"), "{}", p.message);
}

#[test]
fn openai_without_model_is_a_missing_setting() {
    let text = BASE.replacen("kind = \"rehearsal\"", "kind = \"openai\"\nbase_url = \"http://127.0.0.1:11434/v1\"", 1);
    let p = one(&text, Rule::MissingInstrumentSetting, "[players.instrument]", 0);
    assert_eq!(p.message, "the instrument of player `a` has no `model`, which is required");
}

#[test]
fn one_bad_player_does_not_hide_another() {
    let text = BASE
        .replacen("kind = \"rehearsal\"", "kind = \"openai\"\nmodel = \"m\"", 1)
        .replacen("kind = \"rehearsal\"", "kind = \"rehearsal\"\nfailure_rate = \"often\"", 1);
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].rule, Rule::MissingInstrumentSetting);
    assert_eq!(found[0].target, Target::Player { id: "a".into() });
    assert_eq!(found[1].rule, Rule::WrongType);
    assert_eq!(found[1].target, Target::Player { id: "b".into() });
    assert_eq!(found[1].line, Some(at(&text, "\"often\"", 0).0));
}

#[test]
fn duplicate_player_id_points_at_the_second_id() {
    let text = BASE.replace("id = \"b\"", "id = \"a\"");
    let p = one(&text, Rule::DuplicateId, "\"a\"", 1);
    assert!(p.message.contains("players 1 and 2"), "{}", p.message);
}

#[test]
fn duplicate_and_empty_section_ids() {
    let text = BASE.replace(
        "[[players]]\nid = \"a\"",
        "[[sections]]\nid = \"build\"\nname = \"Again\"\nzone = \"stabilizer\"\n\n[[sections]]\nid = \"\"\nname = \"None\"\nzone = \"stabilizer\"\n\n[[players]]\nid = \"a\"",
    );
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].rule, Rule::DuplicateId);
    assert_eq!(found[0].line, Some(at(&text, "id = \"build\"", 1).0));
    assert_eq!(found[1].rule, Rule::EmptyId);
    assert_eq!((found[1].line, found[1].column), { let (l, c) = at(&text, "\"\"", 0); (Some(l), Some(c)) });
}

#[test]
fn empty_player_id() {
    let text = BASE.replace("id = \"b\"", "id = \" \"");
    one(&text, Rule::EmptyId, "\" \"", 0);
}

#[test]
fn dangling_cue_points_at_its_to() {
    let text = with("\n[[cues]]\nfrom = \"a\"\nto = \"ghost\"\n");
    let p = one(&text, Rule::CueToMissingPlayer, "\"ghost\"", 0);
    assert_eq!(p.target, Target::Cue { from: "a".into(), to: "ghost".into() });
    assert!(p.message.contains("known players: `a`, `b`"), "{}", p.message);
}

#[test]
fn dangling_cue_from() {
    let text = with("\n[[cues]]\nfrom = \"ghost\"\nto = \"a\"\n");
    one(&text, Rule::CueToMissingPlayer, "\"ghost\"", 0);
}

#[test]
fn self_cue() {
    let text = with("\n[[cues]]\nfrom = \"a\"\nto = \"a\"\nmax_repeats = 2\n");
    one(&text, Rule::SelfCue, "\"a\"", 2);
}

#[test]
fn duplicate_cue_points_at_the_second() {
    let text = with("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\n\n[[cues]]\nfrom = \"a\"\nto = \"b\"\nwhen = \"success\"\n");
    one(&text, Rule::DuplicateCue, "\"b\"", 2);
}

#[test]
fn player_in_missing_section() {
    let text = BASE.replace("section = \"build\"", "section = \"biuld\"");
    let p = one(&text, Rule::PlayerInMissingSection, "\"biuld\"", 0);
    assert!(p.message.contains("known sections: `build`"), "{}", p.message);
}

#[test]
fn player_without_zone_or_section() {
    let text = BASE.replace("zone = \"improver\"\n", "");
    let p = one(&text, Rule::MissingZone, "\"b\"", 0);
    assert_eq!(p.target, Target::Player { id: "b".into() });
}

#[test]
fn cycle_without_repeat_limit_names_its_players() {
    let text = with("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\n\n[[cues]]\nfrom = \"b\"\nto = \"a\"\n");
    let p = one(&text, Rule::CycleWithoutRepeatLimit, "\"a\"", 2);
    assert!(p.message.contains("a → b → a"), "{}", p.message);
    // The same loop with a limit is fine.
    let limited = text.replace("from = \"b\"\nto = \"a\"\n", "from = \"b\"\nto = \"a\"\nmax_repeats = 3\n");
    assert!(ensemble_score::parse(&limited, None).is_ok());
}

#[test]
fn verdict_rules() {
    let no_pattern = with("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\nwhen = \"verdict\"\n");
    one(&no_pattern, Rule::BadVerdict, "\"verdict\"", 0);
    let bad_regex = with("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\nwhen = \"verdict\"\nverdict = \"(unclosed\"\n");
    let p = one(&bad_regex, Rule::BadVerdict, "\"(unclosed\"", 0);
    assert!(p.message.contains("not a valid regular expression"), "{}", p.message);
    let unused = with("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\nwhen = \"success\"\nverdict = \"OK\"\n");
    one(&unused, Rule::BadVerdict, "\"OK\"", 0);
}

#[test]
fn instrument_settings_out_of_range() {
    let cases = [
        ("kind = \"rehearsal\"\nfailure_rate = 1.5", "1.5"),
        ("kind = \"openai\"\nbase_url = \"ftp://x\"\nmodel = \"m\"", "\"ftp://x\""),
        ("kind = \"openai\"\nbase_url = \"http://x/v1\"\nmodel = \"\"", "\"\""),
        ("kind = \"openai\"\nbase_url = \"http://x/v1\"\nmodel = \"m\"\ntemperature = 2.5", "2.5"),
        ("kind = \"anthropic\"\nmodel = \"m\"\ntemperature = 1.5\nkey = { env = \"K\" }", "1.5"),
        ("kind = \"command\"\nprogram = \"\"", "\"\""),
    ];
    for (instrument, needle) in cases {
        let text = BASE.replacen("kind = \"rehearsal\"", instrument, 1);
        let p = one(&text, Rule::BadInstrumentSetting, needle, 0);
        assert_eq!(p.target, Target::Player { id: "a".into() });
    }
}

#[test]
fn command_cwd_outside_workspace() {
    let text = BASE.replacen("kind = \"rehearsal\"", "kind = \"command\"\nprogram = \"make\"\ncwd = \"../elsewhere\"", 1);
    one(&text, Rule::OutsideWorkspace, "\"../elsewhere\"", 0);
}

#[test]
fn budgets_out_of_range() {
    let text = BASE.replace(
        "[[sections]]",
        "[tempo]\nmax_wall_secs = 0\nmax_tokens = 99999999999999\nmax_cost_usd = -1.0\n\n[[sections]]",
    );
    let found = problems(&text);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found.iter().all(|p| p.rule == Rule::BudgetOutOfRange && p.target == Target::Tempo));
    assert_eq!(found[0].line, Some(at(&text, "max_wall_secs", 0).0));
    assert_eq!(found[0].column, Some(17));
    assert_eq!(found[2].line, Some(at(&text, "-1.0", 0).0));
}

#[test]
fn zero_repeats_and_zero_timeout() {
    let text = with("\n[[cues]]\nfrom = \"a\"\nto = \"b\"\nmax_repeats = 0\n").replace("name = \"A\"", "name = \"A\"\ntimeout_secs = 0");
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|p| p.rule == Rule::BudgetOutOfRange));
    assert_eq!(found[0].line, Some(at(&text, "timeout_secs = 0", 0).0));
    assert_eq!(found[1].line, Some(at(&text, "max_repeats = 0", 0).0));
}

#[test]
fn attached_files_are_checked_on_disk() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("there.md"), "hello").expect("write a file");
    let outside = tempfile::tempdir().expect("another temporary folder");
    std::fs::write(outside.path().join("secret.txt"), "no").expect("write a file");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("link.txt")).expect("make a link");
    let text = BASE.replace(
        "[[sections]]",
        "[context]\nfiles = [\"there.md\", \"missing.md\", \"../up.md\", \"/etc/passwd\", \"link.txt\"]\n\n[[sections]]",
    );
    let found = ensemble_score::parse(&text, Some(dir.path())).expect_err("three files are wrong");
    let rules: Vec<Rule> = found.iter().map(|p| p.rule).collect();
    assert_eq!(rules, [Rule::AttachedFileMissing, Rule::OutsideWorkspace, Rule::OutsideWorkspace, Rule::OutsideWorkspace]);
    let (line, _) = at(&text, "files", 0);
    assert!(found.iter().all(|p| p.line == Some(line) && p.target == Target::Context));
    assert_eq!(found[0].column, Some(at(&text, "\"missing.md\"", 0).1));
    assert_eq!(found[3].column, Some(at(&text, "\"link.txt\"", 0).1));
    // Without a folder only the paths themselves can be judged.
    let found = ensemble_score::parse(&text, None).expect_err("two paths escape");
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn workspace_folder_must_exist() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = BASE.replace("[[sections]]", "[context]\nworkspace = \"nowhere\"\n\n[[sections]]");
    let found = ensemble_score::parse(&text, Some(dir.path())).expect_err("the workspace is missing");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].rule, Rule::AttachedFileMissing);
    assert_eq!(found[0].line, Some(at(&text, "\"nowhere\"", 0).0));
}

#[test]
fn many_problems_at_once() {
    let text = with("\n[[cues]]\nfrom = \"a\"\nto = \"ghost\"\n\n[[cues]]\nfrom = \"b\"\nto = \"b\"\n")
        .replace("id = \"b\"", "id = \"b\"\nsection = \"none\"");
    let found = problems(&text);
    let rules: Vec<Rule> = found.iter().map(|p| p.rule).collect();
    assert_eq!(rules, [Rule::PlayerInMissingSection, Rule::CueToMissingPlayer, Rule::SelfCue]);
    assert!(found.iter().all(|p| p.line.is_some() && p.column.is_some()));
}

#[test]
fn validate_works_without_text() {
    let mut score = ensemble_score::parse(BASE, None).expect("BASE is valid");
    score.players[1].id = "a".into();
    let found = ensemble_score::validate(&score, None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, Rule::DuplicateId);
    assert_eq!((found[0].line, found[0].column), (None, None));
    score.players[1].id = "b".into();
    score.format = 3;
    let found = ensemble_score::validate(&score, None);
    assert_eq!(found.iter().map(|p| p.rule).collect::<Vec<_>>(), [Rule::Format]);
}
