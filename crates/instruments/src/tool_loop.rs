//! The bounds of a model's tool loop, shared by both chat protocols: which calls a chorus may
//! still make, how each is named in the record, and when a model that keeps calling is stopped.
//!
//! A player may make at most `max_calls` tool calls in one chorus. Once they are spent the next
//! request still lists the tools (both protocols refuse tool results without them) but forbids
//! calling them (`tool_choice` none); a call made anyway is answered with an error, and a model
//! that goes on calling for two more rounds fails the attempt.

use crate::tools::{Answer, ToolDesk};
use crate::{PlayError, Stage};

/// Longest a streamed tool call's name and arguments may grow (1 MiB).
pub(crate) const MAX_TOOL_ARGUMENT_BYTES: usize = 1 << 20;

/// Rounds after the calls are spent before a model that keeps calling fails.
const ROUNDS_PAST_THE_LIMIT: u32 = 2;

pub(crate) struct Rounds<'a> {
    stage: &'a Stage,
    desk: Option<&'a ToolDesk>,
    /// Calls made (the ones the limit counts).
    calls: u32,
    /// Calls the model asked for, made or refused: numbers them in the record.
    asked: u32,
    past_limit: u32,
}

impl<'a> Rounds<'a> {
    pub fn new(stage: &'a Stage) -> Rounds<'a> {
        Rounds { stage, desk: stage.tools.as_ref().filter(|d| !d.tools.is_empty()), calls: 0, asked: 0, past_limit: 0 }
    }

    /// The desk whose tools the next request lists, if the player has tools.
    pub fn offer(&self) -> Option<&'a ToolDesk> {
        self.desk
    }

    /// Whether the chorus has made all the calls it may.
    pub fn spent(&self) -> bool {
        self.desk.is_some_and(|d| self.calls >= d.limits.max_calls)
    }

    /// The model answered with tool calls: the desk to make them on, or why the attempt ends.
    pub fn next_round(&mut self, endpoint: &str) -> Result<&'a ToolDesk, PlayError> {
        let Some(desk) = self.desk else {
            return Err(PlayError::fatal(format!("{endpoint} answered with a tool call, but the player has no tools")));
        };
        if self.spent() {
            self.past_limit += 1;
            if self.past_limit > ROUNDS_PAST_THE_LIMIT {
                return Err(PlayError::fatal(format!(
                    "the model kept calling tools after its {} calls for this chorus were spent",
                    desk.limits.max_calls
                )));
            }
        }
        Ok(desk)
    }

    /// Makes one call the model asked for, or answers that the calls are spent.
    pub async fn call(&mut self, desk: &ToolDesk, name: &str, arguments: &str) -> Answer {
        let stage = self.stage;
        self.asked += 1;
        if self.spent() {
            let error = format!("the {} tool calls this chorus may make are spent; answer without tools", desk.limits.max_calls);
            return desk.refuse(&self.next_id(), name, error);
        }
        self.calls += 1;
        let id = self.next_id();
        desk.call(&id, name, arguments, &stage.cancel).await
    }

    /// `chorus.attempt.n`: unique within a player's performance, in the order the calls were made.
    fn next_id(&self) -> String {
        format!("{}.{}.{}", self.stage.chorus, self.stage.attempt, self.asked)
    }
}
