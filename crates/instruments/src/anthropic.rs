//! The anthropic instrument.

use ensemble_score::AnthropicSettings;
use tokio::sync::mpsc::UnboundedSender;

use crate::{PlayError, Played, Prompt, Stage};

pub async fn play(settings: &AnthropicSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let _ = (settings, prompt, stage, tokens);
    todo!("anthropic instrument")
}
