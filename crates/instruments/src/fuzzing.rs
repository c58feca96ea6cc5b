//! Entry points for the fuzz driver (`examples/fuzz.rs`): the stream parsers exactly as an
//! attempt runs them, over bytes that come from memory instead of a socket. Not part of the API.

use futures::StreamExt;
use eventsource_stream::Eventsource;
use tokio::sync::mpsc::unbounded_channel;

use crate::http::bounded;
use crate::limits::Limits;
use crate::openai::Step;

/// Which parser reads the stream.
#[derive(Debug, Clone, Copy)]
pub enum Protocol {
    Openai,
    Anthropic,
}

/// Feeds `chunks` (a body as the network might cut it) through the bounded event-stream reader
/// and `protocol`'s event handling, with a small output limit; returns how many events were read.
/// Must never panic, whatever the bytes.
pub async fn stream(protocol: Protocol, chunks: Vec<Vec<u8>>) -> usize {
    let limits = Limits { max_output_bytes: 4096, ..Limits::default() };
    let body = futures::stream::iter(chunks.into_iter().map(Ok::<_, std::convert::Infallible>));
    let mut events = std::pin::pin!(bounded(body, limits.read_timeout).eventsource());
    let (tokens, _kept) = unbounded_channel();
    let mut openai = crate::openai::Reading::new("http://fuzz", Some("key"), &limits);
    let mut anthropic = crate::anthropic::Reading::new("http://fuzz", "key", &limits);
    let mut read = 0;
    while let Some(event) = events.next().await {
        let Ok(event) = event else { break };
        read += 1;
        let step = match protocol {
            Protocol::Openai => openai.event(&event.data, &tokens),
            Protocol::Anthropic => anthropic.event(&event.data, &tokens),
        };
        if !matches!(step, Step::More) {
            break;
        }
    }
    let _ = anthropic.usage("input");
    read
}
