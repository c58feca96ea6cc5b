//! Comparing two recorded performances, usually of one score: did the change make it better?
//!
//! Side by side, per player: how each part ended, its output (diffed word by word), choruses,
//! time, tokens and cost; and what changed in the score between them (the texts recorded with
//! each performance, diffed line by line). "This one against the previous one" finds the
//! performance of the same score that started just before.

use std::time::Duration;

use ensemble_conductor::{Record, Replay};
use ensemble_store::{Store, Summary};
use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};
use ts_rs::TS;

use crate::players::{self, PlayerRun};
use crate::{ApiError, resume};

/// Two performances side by side: `left` is the earlier (or the one compared against).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Comparison {
    pub left: ComparedPerformance,
    pub right: ComparedPerformance,
    /// Every player of either performance: the right one's order, then those only on the left.
    pub players: Vec<PlayerComparison>,
    /// The score recorded with the left performance against the right one's, line by line
    /// (unchanged runs included, so it can be shown whole); empty when the texts are equal.
    pub score_changes: Vec<TextChange>,
}

/// One performance of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ComparedPerformance {
    pub summary: Summary,
    /// How long it was conducted (all its stretches), from its finish or its latest event.
    pub elapsed_ms: u64,
    /// The shared-context version it started with.
    pub context_version: Option<String>,
}

/// One player in both performances.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlayerComparison {
    pub player: String,
    /// Its part on each side; `None` where the score did not have the player.
    pub left: Option<PlayerRun>,
    pub right: Option<PlayerRun>,
    /// Its output on the left against the right, word by word.
    pub output_changes: Vec<TextChange>,
    /// The outputs differ.
    pub output_changed: bool,
}

/// A run of text that is in both, only in the left (deleted) or only in the right (inserted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TextChange {
    pub kind: TextChangeKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TextChangeKind {
    Equal,
    Delete,
    Insert,
}

/// Compares performance `left` with performance `right`.
pub fn compare(store: &Store, left: &str, right: &str) -> Result<Comparison, ApiError> {
    let (left_recorded, left_events, left_text) = (resume::recorded(store, left)?, store.events(left)?, store.score_toml(left)?);
    let (right_recorded, right_events, right_text) = (resume::recorded(store, right)?, store.events(right)?, store.score_toml(right)?);
    let left_replay = Replay::of(&left_recorded.score, &left_events);
    let right_replay = Replay::of(&right_recorded.score, &right_events);
    let left_runs = players::player_runs(left_replay.record());
    let right_runs = players::player_runs(right_replay.record());

    let mut order: Vec<String> = right_runs.iter().map(|r| r.player.clone()).collect();
    order.extend(left_runs.iter().map(|r| r.player.clone()).filter(|p| !right_runs.iter().any(|r| &r.player == p)));
    let players = order
        .into_iter()
        .map(|player| {
            let left = left_runs.iter().find(|r| r.player == player).cloned();
            let right = right_runs.iter().find(|r| r.player == player).cloned();
            let (before, after) = (left.as_ref().map_or("", |r| r.output.as_str()), right.as_ref().map_or("", |r| r.output.as_str()));
            PlayerComparison { player, output_changed: before != after, output_changes: words(before, after), left, right }
        })
        .collect();
    let score_changes = if left_text == right_text { Vec::new() } else { lines(&left_text, &right_text) };
    Ok(Comparison {
        left: side(left_recorded.summary, left_replay.record()),
        right: side(right_recorded.summary, right_replay.record()),
        players,
        score_changes,
    })
}

/// The performance of the same score (the same file, or the same title for a score never
/// saved) that started just before `id`, if any.
pub fn previous(store: &Store, id: &str) -> Result<Option<String>, ApiError> {
    let list = store.list()?;
    let Some(at) = list.iter().position(|s| s.id == id) else {
        return Err(ensemble_store::StoreError::NotFound(id.to_string()).into());
    };
    let this = &list[at];
    // The list is newest first: what follows started earlier.
    Ok(list[at + 1..].iter().find(|s| same_score(s, this)).map(|s| s.id.clone()))
}

fn same_score(a: &Summary, b: &Summary) -> bool {
    match (&a.score_path, &b.score_path) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.title == b.title,
        _ => false,
    }
}

/// A performance's own figures: its recorded duration (or, unfinished, the span of its events)
/// and the shared-context version it started with.
fn side(summary: Summary, record: &Record) -> ComparedPerformance {
    let span = match (record.first_at, record.last_at) {
        (Some(first), Some(last)) => last.saturating_sub(first),
        _ => 0,
    };
    let elapsed_ms = record.finish.map_or(span, |f| f.elapsed_ms);
    ComparedPerformance { summary, elapsed_ms, context_version: record.context_version.map(str::to_string) }
}

/// How long one diff may search for the smallest set of changes before it settles for a larger
/// one: outputs can be megabytes, and a comparison must still come back at once.
const DIFF_TIME: Duration = Duration::from_millis(500);

/// `before` against `after`, word by word (whitespace kept as its own runs).
pub fn words(before: &str, after: &str) -> Vec<TextChange> {
    let diff = TextDiff::configure().algorithm(Algorithm::Myers).timeout(DIFF_TIME).diff_words(before, after);
    merged(diff.iter_all_changes().map(|c| (c.tag(), c.value())))
}

/// `before` against `after`, line by line.
pub fn lines(before: &str, after: &str) -> Vec<TextChange> {
    let diff = TextDiff::configure().algorithm(Algorithm::Myers).timeout(DIFF_TIME).diff_lines(before, after);
    merged(diff.iter_all_changes().map(|c| (c.tag(), c.value())))
}

/// Adjacent pieces of the same kind as one change, so a reader gets runs rather than words.
fn merged<'a>(pieces: impl Iterator<Item = (ChangeTag, &'a str)>) -> Vec<TextChange> {
    let mut changes: Vec<TextChange> = Vec::new();
    for (tag, text) in pieces {
        let kind = match tag {
            ChangeTag::Equal => TextChangeKind::Equal,
            ChangeTag::Delete => TextChangeKind::Delete,
            ChangeTag::Insert => TextChangeKind::Insert,
        };
        match changes.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => changes.push(TextChange { kind, text: text.to_string() }),
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(changes: &[TextChange], skip: TextChangeKind) -> String {
        changes.iter().filter(|c| c.kind != skip).map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn words_mark_what_changed_and_spell_both_sides() {
        let changes = words("the red kite flies", "the blue kite flies high");
        let marked: Vec<(TextChangeKind, &str)> = changes.iter().map(|c| (c.kind, c.text.as_str())).collect();
        assert_eq!(
            marked,
            [
                (TextChangeKind::Equal, "the "),
                (TextChangeKind::Delete, "red"),
                (TextChangeKind::Insert, "blue"),
                (TextChangeKind::Equal, " kite flies"),
                (TextChangeKind::Insert, " high"),
            ]
        );
        assert_eq!(spelled(&changes, TextChangeKind::Insert), "the red kite flies");
        assert_eq!(spelled(&changes, TextChangeKind::Delete), "the blue kite flies high");
    }

    #[test]
    fn a_long_output_is_compared_within_the_time_and_still_spells_both_sides() {
        let before: String = (0..200_000).map(|i| format!("w{} ", i % 997)).collect();
        let after: String = (0..200_000).map(|i| format!("w{} ", (i * 7) % 991)).collect();
        let changes = words(&before, &after);
        assert_eq!(spelled(&changes, TextChangeKind::Insert), before, "however approximate, the left side is whole");
        assert_eq!(spelled(&changes, TextChangeKind::Delete), after, "and so is the right");
    }
}
