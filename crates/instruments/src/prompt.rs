//! The prompt a player receives: the shared context first, then its part, then its hand-offs.

/// What a player is given to play, in the order every instrument presents it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// The rendered shared context (intent, notes, attached files): identical for every player,
    /// so shared by their prompts rather than copied into each (attached files can be long).
    pub context: std::sync::Arc<str>,
    /// The player's part (role prompt).
    pub part: String,
    /// What the player's cues handed it, one entry per cue that fired: (from player name, output).
    pub handoffs: Vec<(String, String)>,
}

impl Prompt {
    /// The system text: shared context, then the part.
    pub fn system_text(&self) -> String {
        format!("{}\n\n# Your part\n\n{}", self.context.trim_end(), self.part.trim())
    }

    /// The user text: the hand-offs, or an instruction to begin when there are none.
    pub fn user_text(&self) -> String {
        if self.handoffs.is_empty() {
            return "Begin your part.".to_string();
        }
        let mut text = String::new();
        for (from, output) in &self.handoffs {
            text.push_str(&format!("# From {from}\n\n{}\n\n", output.trim()));
        }
        text.trim_end().to_string()
    }

    /// Everything as one text (for programs and people): system text, then user text.
    pub fn full_text(&self) -> String {
        format!("{}\n\n{}\n", self.system_text(), self.user_text())
    }
}
