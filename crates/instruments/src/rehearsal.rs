//! The rehearsal instrument.

use ensemble_score::RehearsalSettings;
use tokio::sync::mpsc::UnboundedSender;

use crate::{PlayError, Played, Prompt, Stage};

pub async fn play(settings: &RehearsalSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let _ = (settings, prompt, stage, tokens);
    todo!("rehearsal instrument")
}
