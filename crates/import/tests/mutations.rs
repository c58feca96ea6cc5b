//! No input makes an import panic: thousands of mutations of a small crew and a small graph
//! (bytes flipped, YAML and JSON punctuation inserted, lines cut and repeated) each end in a
//! score that loads or a refusal with a message. Deterministic: the same seed, the same inputs.

use std::path::Path;

use ensemble_import::import;

const AGENTS: &str = "lead:\n  role: Lead {topic}\n  goal: Lead\n  backstory: Leads.\n  llm: ollama/llama3.1\n  tools: [A, B]\nhelper:\n  role: Helper\n  goal: Help\n  backstory: Helps.\n  llm: gpt-4o\n";
const TASKS: &str = "plan:\n  description: Plan.\n  expected_output: A plan.\n  agent: lead\n  human_input: true\nbuild:\n  description: Build.\n  expected_output: It.\n  agent: helper\n  context: [plan]\nreview:\n  description: Review.\n  expected_output: Notes.\n  agent: lead\n";
const GRAPH: &str = r#"{"nodes":[{"id":"__start__"},{"id":"a","data":{"name":"a"}},{"id":"b"},{"id":"__end__"}],"edges":[{"source":"__start__","target":"a"},{"source":"a","target":"b","conditional":true,"data":"go"},{"source":"b","target":"a"},{"source":"a","target":"__end__","conditional":true}]}"#;

/// Pieces that change how YAML or JSON reads.
const PUNCTUATION: [&str; 16] = [
    "&x ", "*x", "[", "]", "{", "}", ":", "- ", "\n", "  ", "\t", "!!str ", "<<: *x\n", "\"",
    "null", "~",
];

/// xorshift64*: enough randomness for mutations, with no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(text: &str, rng: &mut Rng) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = PUNCTUATION[rng.below(PUNCTUATION.len())];
                bytes.splice(at..at, piece.bytes());
            }
            2 => {
                let end = (at + rng.below(20)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(40)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            _ => {}
        }
    }
    bytes
}

fn survives(path: &Path, case: &str) -> bool {
    let outcome = std::panic::catch_unwind(|| import(path));
    match outcome {
        Ok(Ok(imported)) => {
            ensemble_score::parse(&imported.text, None)
                .unwrap_or_else(|p| panic!("{case}: an accepted import must load: {p:?}"));
            true
        }
        Ok(Err(e)) => {
            assert!(!e.to_string().is_empty(), "{case}: a refusal says why");
            false
        }
        Err(_) => panic!("{case}: the import panicked"),
    }
}

#[test]
fn mutated_crews_and_graphs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (agents, tasks, graph) = (
        dir.path().join("agents.yaml"),
        dir.path().join("tasks.yaml"),
        dir.path().join("graph.json"),
    );
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut refused) = (0, 0);
    for case in 0..600 {
        std::fs::write(&agents, mutate(AGENTS, &mut rng)).unwrap();
        std::fs::write(&tasks, mutate(TASKS, &mut rng)).unwrap();
        std::fs::write(&graph, mutate(GRAPH, &mut rng)).unwrap();
        for (path, what) in [(&agents, "crew"), (&graph, "graph")] {
            if survives(path, &format!("{what} case {case}")) {
                accepted += 1
            } else {
                refused += 1
            }
        }
    }
    // Both paths are exercised: small mutations often still import, others are refused.
    assert!(
        accepted > 50 && refused > 50,
        "accepted {accepted}, refused {refused}"
    );
}
