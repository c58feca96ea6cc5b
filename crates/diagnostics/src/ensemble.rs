//! The score indexed for diagnosis: players by id, their sections, and the cue graph.
//!
//! Built once per diagnosis so that every metric asks "which section is this player in?" with a
//! map lookup. Players keep score order (the first of a duplicate id wins, as in the conductor);
//! anything a metric lists is sorted by id before it reaches the report.

use std::collections::{BTreeSet, HashMap, VecDeque};

use ensemble_score::{Player, Score, Zone};

/// The group a player without a section belongs to for "across sections" questions.
pub const NO_SECTION: &str = "";

pub struct Ensemble<'a> {
    pub score: &'a Score,
    /// Players in score order, duplicates of an earlier id left out.
    pub players: Vec<&'a Player>,
    /// Position by id; only looked up, never iterated, so hashing keeps output deterministic.
    index: HashMap<&'a str, usize>,
    /// The declared zone of each player (its own, else its section's).
    zones: Vec<Option<Zone>>,
    /// The section id of each player (or [`NO_SECTION`]).
    pub group: Vec<&'a str>,
    /// Distinct successors and predecessors of each player by cue (self-cues left out).
    pub out: Vec<Vec<usize>>,
    pub inc: Vec<Vec<usize>>,
    /// Score cues whose both ends are known players, as (from, to) positions, in score order.
    pub cues: Vec<(usize, usize)>,
}

impl<'a> Ensemble<'a> {
    pub fn new(score: &'a Score) -> Ensemble<'a> {
        let mut index = HashMap::with_capacity(score.players.len());
        let mut players = Vec::new();
        for p in &score.players {
            if !index.contains_key(p.id.as_str()) {
                index.insert(p.id.as_str(), players.len());
                players.push(p);
            }
        }
        let group = players.iter().map(|p| p.section.as_deref().unwrap_or(NO_SECTION)).collect();
        let zones = players.iter().map(|p| score.zone_of(p)).collect();
        let n = players.len();
        let mut out: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut inc: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut cues = Vec::new();
        for c in &score.cues {
            let (Some(&f), Some(&t)) = (index.get(c.from.as_str()), index.get(c.to.as_str())) else { continue };
            cues.push((f, t));
            if f != t {
                out[f].insert(t);
                inc[t].insert(f);
            }
        }
        Ensemble {
            score,
            players,
            index,
            zones,
            group,
            out: out.into_iter().map(|s| s.into_iter().collect()).collect(),
            inc: inc.into_iter().map(|s| s.into_iter().collect()).collect(),
            cues,
        }
    }

    pub fn len(&self) -> usize {
        self.players.len()
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn id(&self, p: usize) -> &'a str {
        &self.players[p].id
    }

    /// The declared zone: the player's own, else its section's.
    pub fn declared(&self, p: usize) -> Option<Zone> {
        self.zones[p]
    }

    /// The group of a player id, if it is in the score.
    pub fn group_of(&self, id: &str) -> Option<&'a str> {
        self.position(id).map(|p| self.group[p])
    }

    /// The distinct groups that have players, sorted.
    pub fn groups(&self) -> Vec<&'a str> {
        let set: BTreeSet<&str> = self.group.iter().copied().collect();
        set.into_iter().collect()
    }

    /// A group's name for advice: the section's name, or "players outside sections".
    pub fn group_name(&self, group: &str) -> String {
        if group == NO_SECTION {
            return "the players outside sections".to_string();
        }
        self.score.section(group).map(|s| s.name.clone()).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| group.to_string())
    }

    /// A player's name for advice (its id when it has none).
    pub fn name(&self, p: usize) -> &'a str {
        let name = self.players[p].name.trim();
        if name.is_empty() { &self.players[p].id } else { name }
    }

    /// A player's name by id, or the id itself when the player is not in the score.
    pub fn name_of<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.position(id).map(|p| self.name(p)).unwrap_or(id)
    }

    /// Other groups a player hands on to or hears from.
    pub fn groups_reached(&self, p: usize) -> BTreeSet<&'a str> {
        self.out[p].iter().chain(&self.inc[p]).map(|&q| self.group[q]).filter(|g| *g != self.group[p]).collect()
    }

    /// Betweenness centrality of every player (Brandes' algorithm, directed, unweighted),
    /// normalised by (n-1)(n-2) so it runs from 0 (on no shortest path between others) to 1
    /// (on every one). Zero for everybody when there are fewer than three players.
    pub fn betweenness(&self) -> Vec<f64> {
        let n = self.len();
        let mut centrality = vec![0.0; n];
        if n < 3 {
            return centrality;
        }
        let mut stack = Vec::with_capacity(n);
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut sigma = vec![0.0f64; n];
        let mut dist = vec![-1i64; n];
        let mut delta = vec![0.0f64; n];
        let mut queue = VecDeque::with_capacity(n);
        for s in 0..n {
            stack.clear();
            for v in 0..n {
                preds[v].clear();
                sigma[v] = 0.0;
                dist[v] = -1;
                delta[v] = 0.0;
            }
            sigma[s] = 1.0;
            dist[s] = 0;
            queue.push_back(s);
            while let Some(v) = queue.pop_front() {
                stack.push(v);
                for &w in &self.out[v] {
                    if dist[w] < 0 {
                        dist[w] = dist[v] + 1;
                        queue.push_back(w);
                    }
                    if dist[w] == dist[v] + 1 {
                        sigma[w] += sigma[v];
                        preds[w].push(v);
                    }
                }
            }
            while let Some(w) = stack.pop() {
                for &v in &preds[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
                if w != s {
                    centrality[w] += delta[w];
                }
            }
        }
        let scale = ((n - 1) * (n - 2)) as f64;
        centrality.iter().map(|c| c / scale).collect()
    }

    /// Undirected hop distance from `from` to every player (`usize::MAX` when unreachable).
    pub fn distances(&self, from: usize) -> Vec<usize> {
        let mut dist = vec![usize::MAX; self.len()];
        let mut queue = VecDeque::new();
        dist[from] = 0;
        queue.push_back(from);
        while let Some(v) = queue.pop_front() {
            for &w in self.out[v].iter().chain(&self.inc[v]) {
                if dist[w] == usize::MAX {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
            }
        }
        dist
    }
}
