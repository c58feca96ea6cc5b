//! The openai instrument.

use ensemble_score::OpenaiSettings;
use tokio::sync::mpsc::UnboundedSender;

use crate::{PlayError, Played, Prompt, Stage};

pub async fn play(settings: &OpenaiSettings, prompt: &Prompt, stage: &Stage, tokens: &UnboundedSender<String>) -> Result<Played, PlayError> {
    let _ = (settings, prompt, stage, tokens);
    todo!("openai instrument")
}
