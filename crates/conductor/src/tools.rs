//! Players' tools during a performance: each player's servers are started or reached once, on
//! its first chorus that uses them, shared by its later choruses and attempts, and stopped when
//! the performance ends. A call that waits for a person is parked here until the person decides.
//!
//! A rehearsal (the player's own instrument, or every instrument in an offline performance)
//! starts no server: its desk makes results up (see `ensemble_instruments::tools`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use ensemble_instruments::tools::{Decision, ToolDesk, ToolLimits, ToolNote, Toolbox, rehearsal_tools};
use ensemble_score::Tools;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{OnceCell, oneshot};

/// One player's toolbox, opened at most once per performance; a failure to open is kept, so
/// every chorus that needs it fails the same way instead of starting servers again.
type Opened = Arc<OnceCell<Result<Arc<Toolbox>, String>>>;

/// What a chorus needs to give its attempts a tool desk.
#[derive(Clone)]
pub(crate) struct ChorusTools {
    settings: Tools,
    rehearsal: bool,
    opened: Opened,
}

impl ChorusTools {
    /// A desk whose notes go to `notes`: over the player's opened toolbox (opening it the first
    /// time), or the rehearsal's made-up one. `Err` says which server could not be used.
    pub(crate) async fn desk(&self, workspace: &Path, notes: UnboundedSender<ToolNote>) -> Result<ToolDesk, String> {
        if self.rehearsal {
            let limits = ToolLimits::of(&self.settings);
            return Ok(ToolDesk { toolbox: None, tools: rehearsal_tools(&self.settings), limits, notes });
        }
        let opened = self.opened.get_or_init(|| async { Toolbox::open(&self.settings, workspace).await }).await;
        match opened {
            Ok(toolbox) => Ok(ToolDesk::new(toolbox.clone(), notes)),
            Err(e) => Err(e.clone()),
        }
    }
}

/// Every player's tools in a performance, by player index.
#[derive(Default)]
pub(crate) struct PlayerTools {
    settings: Vec<Option<Tools>>,
    opened: Vec<Opened>,
    /// Calls waiting for a person, by player index and call id.
    waiting: HashMap<(usize, String), oneshot::Sender<Decision>>,
}

impl PlayerTools {
    /// The tools of each player, in the order of the score's players.
    pub(crate) fn new(players: &[ensemble_score::Player]) -> PlayerTools {
        PlayerTools {
            settings: players.iter().map(|p| (!p.tools.servers.is_empty()).then(|| p.tools.clone())).collect(),
            opened: players.iter().map(|_| Opened::default()).collect(),
            waiting: HashMap::new(),
        }
    }

    /// What player `p`'s chorus needs for its tools, if it has any.
    pub(crate) fn for_chorus(&self, p: usize, rehearsal: bool) -> Option<ChorusTools> {
        let settings = self.settings.get(p)?.clone()?;
        Some(ChorusTools { settings, rehearsal, opened: self.opened[p].clone() })
    }

    /// Parks a call's way back until a person decides.
    pub(crate) fn park(&mut self, p: usize, call: String, reply: oneshot::Sender<Decision>) {
        self.waiting.insert((p, call), reply);
    }

    /// Hands a person's decision to the call waiting for it; false when none waits (it was
    /// decided already, or its attempt ended).
    pub(crate) fn decide(&mut self, p: usize, call: &str, decision: Decision) -> bool {
        match self.waiting.remove(&(p, call.to_string())) {
            Some(reply) => reply.send(decision).is_ok(),
            None => false,
        }
    }

    /// Nobody holds the controls any more: every waiting call is rejected (its way back dropped).
    pub(crate) fn reject_waiting(&mut self) {
        self.waiting.clear();
    }

    /// Stops every server that was started; calls still waiting are rejected by being dropped.
    pub(crate) async fn close(&mut self) {
        self.waiting.clear();
        for opened in &self.opened {
            if let Some(Ok(toolbox)) = opened.get() {
                toolbox.close().await;
            }
        }
    }
}

impl crate::driver::Driver {
    /// Records what happened at player `p`'s tool desk; a call that waits is parked for the person.
    pub(crate) fn on_tool_note(&mut self, p: usize, note: ToolNote) {
        use crate::EventKind;
        let player = self.graph.players[p].id.clone();
        let kind = match note {
            ToolNote::Waiting { call, tool, arguments, reply } => {
                // With nobody holding the controls the call cannot be approved: dropping its way
                // back rejects it at once.
                if self.commands_open {
                    self.tools.park(p, call.clone(), reply);
                }
                EventKind::ToolWaiting { player, call, tool, arguments }
            }
            ToolNote::Resolved { call, tool, decision } => EventKind::ToolResolved { player, call, tool, decision },
            ToolNote::Called { call, tool, arguments, rehearsal } => EventKind::ToolCalled { player, call, tool, arguments, rehearsal },
            ToolNote::Returned { call, tool, result, is_error, cut, elapsed_ms } => {
                EventKind::ToolReturned { player, call, tool, result, is_error, cut, elapsed_ms }
            }
            ToolNote::Failed { call, tool, error, elapsed_ms } => EventKind::ToolFailed { player, call, tool, error, elapsed_ms },
        };
        self.emit(kind);
    }
}
