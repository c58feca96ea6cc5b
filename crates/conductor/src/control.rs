//! The conductor's hands: commands a person sends to a running performance.

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::UnboundedSender;
use ts_rs::TS;

/// A command to a running performance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Command {
    /// Start no new player until resumed; players already playing go on.
    Pause,
    Resume,
    /// Release exactly one waiting cue (in step mode, or while paused).
    Step,
    /// Cancel everything now; child processes are killed.
    CutOff,
    /// A person's answer for a human player.
    Answer { player: String, text: String },
    /// Approve or reject a checkpoint cue that is waiting.
    Checkpoint { from: String, to: String, approve: bool, note: Option<String> },
    /// Replace a finished player's output before it is handed on.
    EditOutput { player: String, output: String },
    /// Play a finished or failed player again with the inputs it had.
    Recue { player: String },
    /// Change how the performance advances from now on: autonomous, step or checkpoints.
    SetTempo { mode: ensemble_score::TempoMode },
    /// A person's decision about a player's tool call that waits for approval.
    ToolDecision { player: String, call: String, decision: ensemble_instruments::tools::Decision },
}

/// A handle to send commands to a running performance. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Control {
    pub(crate) tx: UnboundedSender<Command>,
}

impl Control {
    /// Sends a command; returns false when the performance has already finished.
    pub fn send(&self, command: Command) -> bool {
        self.tx.send(command).is_ok()
    }
}
