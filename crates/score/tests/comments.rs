//! Comments in a score survive a save, attached to the key, table or element they described.

use ensemble_score::{parse, to_toml};

const COMMENTED: &str = r#"# A score with comments.
# Second line of the header.

format = 1
title = "Commented"

# What we build.
[intent]
# The goal, in one line.
goal = "Ship"
why = "Because" # the reason

[[players]]
id = "b"
name = "B"
zone = "improver"
position = { x = 0.0, y = 0.0 }
part = "Check."

[players.instrument]
kind = "rehearsal"

# The first player writes.
[[players]]
id = "a"
name = "A"
zone = "innovator"
position = { x = 10.0, y = 0.0 }
# Keep this part short.
part = "Write."

# A stand-in for now.
[players.instrument]
kind = "rehearsal"

# Hand the draft over.
[[cues]]
from = "a"
to = "b"

# End of score.
"#;

#[test]
fn a_canonical_commented_score_round_trips() {
    let score = parse(COMMENTED, None).expect("valid");
    assert_eq!(to_toml(&score, Some(COMMENTED)).expect("writable"), COMMENTED);
}

#[test]
fn comments_follow_their_player_when_players_move() {
    let mut score = parse(COMMENTED, None).expect("valid");
    score.players.reverse();
    score.players[1].name = "Bee".into();
    let text = to_toml(&score, Some(COMMENTED)).expect("writable");
    let a = text.find("id = \"a\"").expect("a is written");
    let b = text.find("id = \"b\"").expect("b is written");
    assert!(a < b, "a is first now:\n{text}");
    let block = "# The first player writes.\n[[players]]\nid = \"a\"";
    assert!(text.contains(block), "the comment moved with a:\n{text}");
    assert!(text.contains("# Keep this part short.\npart = \"Write.\""), "{text}");
    assert!(text.contains("# A stand-in for now.\n[players.instrument]\nkind = \"rehearsal\"\n\n[[players]]\nid = \"b\""), "{text}");
    assert!(text.starts_with("# A score with comments.\n# Second line of the header.\n\nformat = 1\n"), "{text}");
    assert!(text.contains("why = \"Because\" # the reason\n"), "{text}");
    assert!(text.ends_with("to = \"b\"\n\n# End of score.\n"), "{text}");
    assert_eq!(parse(&text, None).expect("still valid"), score);
}

#[test]
fn comments_of_removed_elements_are_dropped() {
    let mut score = parse(COMMENTED, None).expect("valid");
    score.cues.clear();
    let text = to_toml(&score, Some(COMMENTED)).expect("writable");
    assert!(!text.contains("Hand the draft over"), "{text}");
    assert!(text.contains("# What we build.\n[intent]"), "{text}");
}

#[test]
fn without_previous_text_there_are_no_comments() {
    let score = parse(COMMENTED, None).expect("valid");
    let text = to_toml(&score, None).expect("writable");
    assert!(!text.contains('#'), "{text}");
    assert!(text.starts_with("format = 1\ntitle = \"Commented\"\n\n[intent]\n"), "{text}");
}

#[test]
fn untidy_comment_blocks_are_normalised_once() {
    let untidy = COMMENTED.replace("# What we build.\n[intent]", "\n\n   # What we build.\n\n\n[intent]");
    let score = parse(&untidy, None).expect("valid");
    let once = to_toml(&score, Some(&untidy)).expect("writable");
    assert!(once.contains("\n\n# What we build.\n\n[intent]"), "{once}");
    assert_eq!(to_toml(&score, Some(&once)).expect("writable"), once);
}
