//! Handing a front end a performance's events a frame at a time.
//!
//! A window redraws about sixty times a second; one message per streamed token would make it do
//! far more work than it can show. Events are gathered while a frame has not passed since the
//! last message and handed on together: at most one message per frame, in order, none lost. The
//! first event after a quiet spell goes out at once, so nothing waits for a batch to fill.

use std::time::Duration;

use ensemble_conductor::Event;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

/// One animation frame at 60 Hz.
pub const FRAME: Duration = Duration::from_millis(16);

/// Hands `forward` every event from `events` in order, in batches at least `frame` apart, until
/// the channel closes and is drained.
pub async fn in_frames(mut events: UnboundedReceiver<Event>, frame: Duration, mut forward: impl FnMut(Vec<Event>)) {
    let mut next = Instant::now();
    let mut open = true;
    while open {
        let Some(first) = events.recv().await else { break };
        let mut batch = vec![first];
        // Gather until a frame has passed since the last message.
        while open && Instant::now() < next {
            tokio::select! {
                event = events.recv() => match event {
                    Some(event) => batch.push(event),
                    None => open = false,
                },
                _ = tokio::time::sleep_until(next) => break,
            }
        }
        if !open {
            tokio::time::sleep_until(next).await;
        }
        while let Ok(event) = events.try_recv() {
            batch.push(event);
        }
        forward(batch);
        next = Instant::now() + frame;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ensemble_conductor::EventKind;
    use tokio::sync::mpsc::unbounded_channel;

    fn token(seq: u64) -> Event {
        Event { seq, at_ms: seq, kind: EventKind::Token { player: "p".into(), text: format!("{seq} ") } }
    }

    #[tokio::test]
    async fn a_burst_goes_out_as_one_message() {
        let (tx, rx) = unbounded_channel();
        for seq in 1..=1000 {
            tx.send(token(seq)).expect("the receiver is open");
        }
        drop(tx);
        let mut messages = Vec::new();
        in_frames(rx, FRAME, |batch| messages.push(batch)).await;
        assert_eq!(messages.len(), 1, "everything queued before the first message goes in it");
        assert_eq!(messages[0], (1..=1000).map(token).collect::<Vec<_>>(), "in order, none lost");
    }

    #[tokio::test]
    async fn a_steady_stream_goes_out_at_most_once_a_frame_in_order() {
        let (tx, rx) = unbounded_channel();
        let producer = tokio::spawn(async move {
            for seq in 1..=200 {
                tx.send(token(seq)).expect("the receiver is open");
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        });
        let mut messages: Vec<(std::time::Instant, Vec<Event>)> = Vec::new();
        in_frames(rx, FRAME, |batch| messages.push((std::time::Instant::now(), batch))).await;
        producer.await.expect("the producer does not panic");
        let all: Vec<Event> = messages.iter().flat_map(|(_, batch)| batch.clone()).collect();
        assert_eq!(all, (1..=200).map(token).collect::<Vec<_>>(), "in order, none lost, none twice");
        assert!(messages.len() < 200, "the events were grouped ({} messages)", messages.len());
        for pair in messages.windows(2) {
            let gap = pair[1].0 - pair[0].0;
            assert!(gap >= FRAME, "two messages {gap:?} apart: more than one in a frame");
        }
    }
}
