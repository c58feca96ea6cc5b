//! The command instrument.

use ensemble_score::CommandSettings;
use tokio::sync::mpsc::UnboundedSender;

use crate::{PlayError, Played, Prompt, Stage};

pub async fn play(settings: &CommandSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let _ = (settings, prompt, stage, tokens);
    todo!("command instrument")
}
