//! The demultiplexer: rebuilds each `HASH[name]` block's byte stream from interleaved lines and
//! proves the reconstruction with the SHA-256 that Go printed for it.
//!
//! Lines of different blocks interleave freely (the go command hashes actions on parallel
//! goroutines, and `NewHash`, `(*Hash).Write` and `(*Hash).Sum` in `cmd/go/internal/cache/hash.go`
//! each print their line as it happens), so lines are routed by block name.
//! Names are not unique: a package and its test variant share `build p`, `testmain` and the
//! test-input blocks run concurrently. While two or more same-name blocks are open and unsummed,
//! the name's lines are buffered and every order-preserving assignment of them to the open blocks
//! is explored, deduplicated by content and pruned by each kind's field order, until result lines
//! leave exactly one consistent assignment. Blocks that no assignment explains are marked
//! unverified with the reason: a block is never silently given another block's lines.

use rustc_hash::{FxHashMap, FxHasher};
use sha2::{Digest as _, Sha256};
use std::hash::Hasher;
use std::rc::Rc;

use super::order::FieldOrder;
use super::unquote::unquote_into;
use crate::model::Digest;

/// How far the assignment search may branch before the blocks are reported unverified.
pub const MAX_STATES: usize = 256;

/// One `Write` to a block: the escaped body between the quotes and its 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteRef<'a> {
    pub line: u32,
    pub body: &'a [u8],
}

/// One `Sum` of a block. `verified` says whether it equals the SHA-256 of the writes before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultRef {
    pub line: u32,
    pub sum: Digest,
    pub verified: bool,
    /// How many writes the block had when this result was printed.
    pub after_writes: u32,
}

/// Why a block could not be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unverified {
    /// The log ends (or the block was replaced) before Go printed its result.
    NoResult,
    /// The result line does not match the SHA-256 of the lines assigned to the block.
    Mismatch,
    /// Same-name blocks were open at once and no assignment of their lines explains the results.
    Ambiguous { open_at_once: usize },
    /// Same-name blocks were open at once with too many possible assignments to search.
    SearchLimit { open_at_once: usize },
    /// Lines of the block appear without its opening line (the log starts mid-block).
    NoOpenLine,
}

impl std::fmt::Display for Unverified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unverified::NoResult => write!(f, "no result line (the block never finished)"),
            Unverified::Mismatch => {
                write!(f, "sha256 of its lines does not match the printed result")
            }
            Unverified::Ambiguous { open_at_once } => write!(
                f,
                "{open_at_once} same-name blocks were open at once and no assignment of their \
                 lines matches the printed results"
            ),
            Unverified::SearchLimit { open_at_once } => write!(
                f,
                "{open_at_once} same-name blocks were open at once, with too many possible \
                 assignments of their lines to try them all (more than {MAX_STATES}), and none \
                 of the likeliest matches the printed results"
            ),
            Unverified::NoOpenLine => write!(f, "its opening line is not in the log"),
        }
    }
}

/// A demultiplexed block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBlock<'a> {
    pub name: &'a [u8],
    /// Line of `HASH[name]`, or `None` when the log starts inside the block.
    pub open_line: Option<u32>,
    pub writes: Vec<WriteRef<'a>>,
    pub results: Vec<ResultRef>,
    /// `None` when every result verified and there is at least one.
    pub unverified: Option<Unverified>,
    /// True when the block's lines had to be told apart from a same-name block's.
    pub disentangled: bool,
}

impl RawBlock<'_> {
    /// The first verified result: the block's action ID (or lookup key, for `gccCompilerID`).
    pub fn id(&self) -> Option<Digest> {
        self.results.iter().find(|r| r.verified).map(|r| r.sum)
    }
}

/// A fatal problem found while demultiplexing (an escape that `strconv.Unquote` rejects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPayload {
    pub line: u32,
    pub reason: &'static str,
}

/// Routes block lines (open, input, result) to blocks. Feed lines in log order, then `finish`.
pub struct Demux<'a> {
    blocks: Vec<RawBlock<'a>>,
    /// Running SHA-256 per block while it can still receive lines; `None` once retired.
    hashers: Vec<Option<Sha256>>,
    names: FxHashMap<&'a [u8], NameState<'a>>,
    scratch: Vec<u8>,
}

#[derive(Default)]
struct NameState<'a> {
    /// Blocks of this name that may still receive lines, in opening order.
    live: Vec<u32>,
    group: Option<Box<Group<'a>>>,
}

impl<'a> Default for Demux<'a> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Demux<'a> {
    pub fn new() -> Self {
        Demux {
            blocks: Vec::new(),
            hashers: Vec::new(),
            names: FxHashMap::default(),
            scratch: Vec::with_capacity(256),
        }
    }

    /// `HASH[name]`
    pub fn open(&mut self, name: &'a [u8], line: u32) {
        let idx = self.new_block(name, Some(line));
        let state = self.names.entry(name).or_default();
        if let Some(group) = state.group.as_mut() {
            group.push(Event::Open { block: idx });
            let group = state.group.take().expect("group present");
            self.after_group_event(name, group);
            return;
        }
        // A new block of the same name retires the summed ones: they can no longer continue.
        let blocks = &self.blocks;
        let hashers = &mut self.hashers;
        state.live.retain(|&b| {
            let keep = blocks[b as usize].results.is_empty();
            if !keep {
                hashers[b as usize] = None;
            }
            keep
        });
        state.live.push(idx);
        if state.live.len() >= 2 {
            let members = state.live.clone();
            let group = self.start_group(name, &members);
            self.names.get_mut(name).expect("entry").group = Some(group);
        }
    }

    /// `HASH[name]: "body"`
    pub fn input(&mut self, name: &'a [u8], body: &'a [u8], line: u32) -> Result<(), BadPayload> {
        self.scratch.clear();
        unquote_into(body, &mut self.scratch).map_err(|e| BadPayload {
            line,
            reason: e.reason,
        })?;
        let write = WriteRef { line, body };
        let state = self.names.entry(name).or_default();
        if let Some(group) = state.group.as_mut() {
            group.push(Event::Input {
                write,
                payload: self.scratch.clone(),
            });
            let group = state.group.take().expect("group present");
            self.after_group_event(name, group);
            return Ok(());
        }
        // The unsummed block if there is one, else the newest summed one (continuation).
        let blocks = &self.blocks;
        let unsummed = state
            .live
            .iter()
            .rev()
            .find(|&&b| blocks[b as usize].results.is_empty());
        let target = match unsummed.or(state.live.last()) {
            Some(&b) => b,
            None => {
                let idx = self.new_block(name, None);
                self.blocks[idx as usize].unverified = Some(Unverified::NoOpenLine);
                self.names.get_mut(name).expect("entry").live.push(idx);
                idx
            }
        };
        if let Some(h) = self.hashers[target as usize].as_mut() {
            h.update(&self.scratch);
        }
        self.blocks[target as usize].writes.push(write);
        Ok(())
    }

    /// `HASH[name]: <hex>`
    pub fn result(&mut self, name: &'a [u8], sum: Digest, line: u32) {
        let state = self.names.entry(name).or_default();
        if let Some(group) = state.group.as_mut() {
            group.push(Event::Result { line, sum });
            let group = state.group.take().expect("group present");
            self.after_group_event(name, group);
            return;
        }
        // Unsummed blocks first (newest last), then continuation of a summed one.
        let blocks = &self.blocks;
        let hashers = &self.hashers;
        let matches = |&&b: &&u32| {
            hashers[b as usize]
                .as_ref()
                .is_some_and(|h| Digest(h.clone().finalize().into()) == sum)
        };
        let unsummed = |&&b: &&u32| blocks[b as usize].results.is_empty();
        let matched = (state.live.iter().rev().filter(unsummed).find(matches))
            .or_else(|| state.live.iter().rev().find(matches))
            .copied();
        let (target, verified) = match (matched, state.live.last()) {
            (Some(b), _) => (b, true),
            (None, Some(&b)) => (b, false),
            (None, None) => {
                let idx = self.new_block(name, None);
                self.blocks[idx as usize].unverified = Some(Unverified::NoOpenLine);
                self.names.get_mut(name).expect("entry").live.push(idx);
                (idx, false)
            }
        };
        let block = &mut self.blocks[target as usize];
        block.results.push(ResultRef {
            line,
            sum,
            verified,
            after_writes: block.writes.len() as u32,
        });
        if !verified && block.unverified.is_none() {
            block.unverified = Some(Unverified::Mismatch);
        }
    }

    /// Ends the log: blocks without a result and unresolved groups are marked unverified.
    pub fn finish(mut self) -> Vec<RawBlock<'a>> {
        let names: Vec<&'a [u8]> = self.names.keys().copied().collect();
        for name in names {
            let state = self.names.get_mut(name).expect("entry");
            if let Some(group) = state.group.take() {
                let outcome = group.finish();
                self.apply(name, outcome);
            }
        }
        for block in &mut self.blocks {
            if block.results.is_empty() && block.unverified.is_none() {
                block.unverified = Some(Unverified::NoResult);
            }
        }
        self.blocks
    }

    fn new_block(&mut self, name: &'a [u8], open_line: Option<u32>) -> u32 {
        let idx = self.blocks.len() as u32;
        self.blocks.push(RawBlock {
            name,
            open_line,
            writes: Vec::new(),
            results: Vec::new(),
            unverified: None,
            disentangled: false,
        });
        self.hashers.push(Some(Sha256::new()));
        idx
    }

    fn after_group_event(&mut self, name: &'a [u8], mut group: Box<Group<'a>>) {
        match group.step() {
            Step::Pending => {
                self.names.get_mut(name).expect("entry").group = Some(group);
            }
            Step::Done(outcome) => self.apply(name, outcome),
        }
    }

    /// Starts a same-name group over the live blocks of `name`.
    fn start_group(&self, name: &'a [u8], members: &[u32]) -> Box<Group<'a>> {
        let order = FieldOrder::for_name(name);
        let mut scratch = Vec::new();
        let seen: Vec<FieldSeq> = members
            .iter()
            .map(|&b| {
                let mut seq = FieldSeq::default();
                for w in &self.blocks[b as usize].writes {
                    scratch.clear();
                    if unquote_into(w.body, &mut scratch).is_ok() {
                        seq.push(payload_fingerprint(field_key(&scratch)));
                    }
                }
                seq
            })
            .collect();
        let seen_for_paired = seen.clone();
        let slots = members
            .iter()
            .zip(seen)
            .map(|(&b, _)| {
                let block = &self.blocks[b as usize];
                let rank = block.writes.last().and_then(|w| {
                    scratch.clear();
                    unquote_into(w.body, &mut scratch).ok()?;
                    order.rank(&scratch)
                });
                SlotState {
                    hasher: self.hashers[b as usize].clone().unwrap_or_default(),
                    // By content: blocks with the same lines so far are interchangeable.
                    fingerprint: block.writes.iter().fold(0, |fp, w| {
                        scratch.clear();
                        let _ = unquote_into(w.body, &mut scratch);
                        chain_fingerprint(fp, &scratch)
                    }),
                    writes: block.writes.len() as u32,
                    summed: !block.results.is_empty(),
                    retired: false,
                    rank: rank.unwrap_or(0),
                }
            })
            .collect();
        Box::new(Group::start(members, slots, order, seen_for_paired))
    }

    /// Writes a group's outcome into the blocks and hands the name back to plain routing, or
    /// starts a new group when two or more unsummed blocks are still open.
    fn apply(&mut self, name: &'a [u8], outcome: Outcome<'a>) {
        let Outcome {
            members,
            assignment,
            failure,
            slots,
        } = outcome;
        for item in &assignment {
            let block = &mut self.blocks[members[item.slot()] as usize];
            match *item {
                Assigned::Write { write, .. } => block.writes.push(write),
                Assigned::Result {
                    line,
                    sum,
                    verified,
                    ..
                } => {
                    let after_writes = block.writes.len() as u32;
                    block.results.push(ResultRef {
                        line,
                        sum,
                        verified,
                        after_writes,
                    })
                }
            }
        }
        let mut live = Vec::new();
        for (&b, slot) in members.iter().zip(slots) {
            let block = &mut self.blocks[b as usize];
            block.disentangled = true;
            let proven = !block.results.is_empty() && block.results.iter().all(|r| r.verified);
            if let Some(reason) = &failure {
                if !proven && block.unverified.is_none() {
                    block.unverified = Some(reason.clone());
                }
            } else if block.results.iter().any(|r| !r.verified) && block.unverified.is_none() {
                block.unverified = Some(Unverified::Mismatch);
            }
            if slot.retired {
                self.hashers[b as usize] = None;
            } else {
                self.hashers[b as usize] = Some(slot.hasher);
                live.push(b);
            }
        }
        let unsummed = live
            .iter()
            .filter(|&&b| self.blocks[b as usize].results.is_empty())
            .count();
        let group = (unsummed >= 2).then(|| self.start_group(name, &live));
        let state = self.names.get_mut(name).expect("entry");
        state.live = live;
        state.group = group;
    }
}

/// A line of a same-name group, kept until the assignment is known.
enum Event<'a> {
    Open {
        block: u32,
    },
    Input {
        write: WriteRef<'a>,
        payload: Vec<u8>,
    },
    Result {
        line: u32,
        sum: Digest,
    },
}

#[derive(Clone, Copy)]
enum Assigned<'a> {
    Write {
        slot: usize,
        write: WriteRef<'a>,
    },
    Result {
        slot: usize,
        line: u32,
        sum: Digest,
        verified: bool,
    },
}

impl Assigned<'_> {
    fn slot(&self) -> usize {
        match *self {
            Assigned::Write { slot, .. } | Assigned::Result { slot, .. } => slot,
        }
    }
}

/// What a group ends with: the assignment of its lines and each block's final state.
struct Outcome<'a> {
    members: Vec<u32>,
    assignment: Vec<Assigned<'a>>,
    failure: Option<Unverified>,
    slots: Vec<SlotState>,
}

enum Step<'a> {
    Pending,
    Done(Outcome<'a>),
}

/// One candidate assignment of the group's lines so far.
#[derive(Clone)]
struct State<'a> {
    slots: Vec<SlotState>,
    log: Trail<'a>,
    /// How often consecutive lines went to different blocks: a goroutine writes its lines in
    /// runs, so fewer switches is more likely. Ranks the states when there are too many.
    switches: u32,
    last: Option<usize>,
}

/// The assignment so far, shared between states that descend from each other, so that
/// branching a state costs one node rather than a copy of its history.
#[derive(Clone, Default)]
struct Trail<'a>(Option<Rc<TrailNode<'a>>>);

struct TrailNode<'a> {
    item: Assigned<'a>,
    prev: Trail<'a>,
}

impl<'a> Trail<'a> {
    fn push(&mut self, item: Assigned<'a>) {
        let prev = std::mem::take(self);
        *self = Trail(Some(Rc::new(TrailNode { item, prev })));
    }

    fn to_vec(&self) -> Vec<Assigned<'a>> {
        let mut out = Vec::new();
        let mut at = &self.0;
        while let Some(node) = at {
            out.push(node.item);
            at = &node.prev.0;
        }
        out.reverse();
        out
    }
}

impl State<'_> {
    fn unsummed_open(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| !s.summed && !s.retired)
            .count()
    }

    /// Identifies a state up to the order of its slots: blocks of one name are told apart only
    /// by their content (their opening lines are identical text), so two states that hold the
    /// same contents in swapped blocks have the same future and are kept once.
    fn key(&self) -> Vec<(u64, bool, bool)> {
        let mut key: Vec<_> = self
            .slots
            .iter()
            .map(|s| (s.fingerprint, s.summed, s.retired))
            .collect();
        key.sort_unstable();
        key
    }

    /// The unsummed open slots; when every open slot is summed, the newest one continues (a
    /// block may be written after `Sum`, as `gccCompilerID` is).
    fn eligible(&self) -> Vec<usize> {
        let unsummed: Vec<usize> = (0..self.slots.len())
            .filter(|&i| !self.slots[i].summed && !self.slots[i].retired)
            .collect();
        if !unsummed.is_empty() {
            return unsummed;
        }
        (0..self.slots.len())
            .rev()
            .find(|&i| !self.slots[i].retired)
            .into_iter()
            .collect()
    }

    fn write(&mut self, slot: usize, write: WriteRef<'_>, payload: &[u8], rank: Option<u16>)
    where
        Self: Sized,
    {
        if self.last != Some(slot) {
            self.switches += 1;
            self.last = Some(slot);
        }
        let s = &mut self.slots[slot];
        s.hasher.update(payload);
        s.fingerprint = chain_fingerprint(s.fingerprint, payload);
        s.writes += 1;
        if let Some(r) = rank {
            s.rank = r;
        }
        let _ = write;
    }

    /// Slots whose content so far hashes to `sum`: unsummed ones first, else summed ones.
    fn matching(&self, sum: Digest) -> Vec<usize> {
        for summed in [false, true] {
            let hits: Vec<usize> = (0..self.slots.len())
                .filter(|&i| {
                    let s = &self.slots[i];
                    !s.retired
                        && s.summed == summed
                        && Digest(s.hasher.clone().finalize().into()) == sum
                })
                .collect();
            if !hits.is_empty() {
                return hits;
            }
        }
        Vec::new()
    }

    fn open(&mut self, block: u32) {
        for slot in &mut self.slots {
            if slot.summed {
                slot.retired = true;
            }
        }
        let _ = block;
        self.slots.push(SlotState {
            hasher: Sha256::new(),
            fingerprint: 0,
            writes: 0,
            summed: false,
            retired: false,
            rank: 0,
        });
    }
}

#[derive(Clone)]
struct SlotState {
    hasher: Sha256,
    /// Fingerprint of the content so far, for deduplicating equivalent states.
    fingerprint: u64,
    /// Writes the block holds so far (including those before the group started).
    writes: u32,
    summed: bool,
    retired: bool,
    /// Rank of the last field written (kind-specific order), for pruning.
    rank: u16,
}

/// Same-name blocks open at once: every consistent assignment of their lines (`states`), and the
/// naive one (`naive`: newest unsummed block) kept for display if the search fails.
struct Group<'a> {
    members: Vec<u32>,
    states: Vec<State<'a>>,
    naive: State<'a>,
    /// The assignment that gives each line to the first open block that has not had an equal
    /// line yet: exact when same-name blocks print the same lines (a package hashed twice at
    /// once), and tried when the search gives up.
    paired: State<'a>,
    /// Fingerprints of the fields (`file a.go`, `import fmt`) each slot of `paired` holds.
    paired_keys: Vec<FieldSeq>,
    /// Every result so far matched a block of `paired`.
    paired_ok: bool,
    /// The search had more than `MAX_STATES` assignments to follow and gave them up; `paired`
    /// decides alone.
    search_dropped: bool,
    order: FieldOrder,
    failure: Option<Unverified>,
}

impl<'a> Group<'a> {
    fn start(
        members: &[u32],
        slots: Vec<SlotState>,
        order: FieldOrder,
        paired_keys: Vec<FieldSeq>,
    ) -> Self {
        let state = State {
            slots,
            log: Trail::default(),
            switches: 0,
            last: None,
        };
        Group {
            members: members.to_vec(),
            states: vec![state.clone()],
            naive: state.clone(),
            paired: state,
            paired_keys,
            paired_ok: true,
            search_dropped: false,
            order,
            failure: None,
        }
    }

    fn push(&mut self, event: Event<'a>) {
        match event {
            Event::Open { block } => {
                self.members.push(block);
                self.naive.open(block);
                self.paired.open(block);
                self.paired_keys.push(FieldSeq::default());
                for state in &mut self.states {
                    state.open(block);
                }
            }
            Event::Input { write, payload } => {
                let rank = self.order.rank(&payload);
                if let Some(&slot) = self.naive.eligible().last() {
                    self.naive.write(slot, write, &payload, rank);
                    self.naive.log.push(Assigned::Write { slot, write });
                }
                let fp = payload_fingerprint(field_key(&payload));
                let eligible = self.paired.eligible();
                if let Some(slot) = self.pair(fp, &eligible).or(eligible.last().copied()) {
                    self.paired.write(slot, write, &payload, rank);
                    self.paired.log.push(Assigned::Write { slot, write });
                    self.paired_keys[slot].push(fp);
                }
                if self.failure.is_none() && !self.search_dropped {
                    self.search_input(write, &payload, rank);
                }
            }
            Event::Result { line, sum } => {
                let hits = self.naive.matching(sum);
                let (slot, verified) = match hits.first() {
                    Some(&slot) => (slot, true),
                    None => (self.naive.eligible().last().copied().unwrap_or(0), false),
                };
                if verified {
                    self.naive.slots[slot].summed = true;
                }
                self.naive.log.push(Assigned::Result {
                    slot,
                    line,
                    sum,
                    verified,
                });
                match self.paired.matching(sum).first() {
                    Some(&slot) => {
                        self.paired.slots[slot].summed = true;
                        self.paired.log.push(Assigned::Result {
                            slot,
                            line,
                            sum,
                            verified: true,
                        });
                    }
                    None => self.paired_ok = false,
                }
                if self.failure.is_none() && !self.search_dropped {
                    self.search_result(line, sum);
                }
            }
        }
        if self.failure.is_none() {
            let open_at_once = self.members.len();
            if self.search_dropped {
                if !self.paired_ok {
                    self.failure = Some(Unverified::SearchLimit { open_at_once });
                }
            } else if self.states.is_empty() {
                self.failure = Some(Unverified::Ambiguous { open_at_once });
            } else if self.states.len() > MAX_STATES {
                // Too many assignments to follow: pairing equal fields decides from here.
                self.states.clear();
                self.search_dropped = true;
            }
        }
    }

    /// Where `paired` sends a line with field `fp`. Blocks of one package write the same
    /// fields in the same order (the same files, the same imports): a field another block
    /// already has goes to the block lagging behind without it; a field nobody has goes to a
    /// block whose next field is not known to be another one (the lagging block must follow
    /// the leader's order), preferring the block that wrote last (lines come in runs), then
    /// the one furthest ahead.
    fn pair(&self, fp: u64, eligible: &[usize]) -> Option<usize> {
        let keys = &self.paired_keys;
        let slots = &self.paired.slots;
        let without: Vec<usize> = eligible
            .iter()
            .copied()
            .filter(|&i| !keys[i].contains(fp))
            .collect();
        if eligible.iter().any(|&i| keys[i].contains(fp)) {
            return without.into_iter().min_by_key(|&i| slots[i].writes);
        }
        let expected_elsewhere = |i: usize| {
            let last = keys[i].last()?;
            eligible
                .iter()
                .filter(|&&j| j != i)
                .find_map(|&j| keys[j].after(last))
                .filter(|&next| next != fp)
        };
        let last = self.paired.last;
        let free: Vec<usize> = without
            .iter()
            .copied()
            .filter(|&i| expected_elsewhere(i).is_none())
            .collect();
        let pool = if free.is_empty() { without } else { free };
        pool.into_iter()
            .max_by_key(|&i| (Some(i) == last, slots[i].writes))
    }

    fn search_input(&mut self, write: WriteRef<'a>, payload: &[u8], rank: Option<u16>) {
        let mut next: Vec<State<'a>> = Vec::with_capacity(self.states.len() * 2);
        let mut seen = rustc_hash::FxHashSet::default();
        for state in &self.states {
            for slot in state.eligible() {
                let s = &state.slots[slot];
                if !self.order.allows(s.writes, s.rank, payload, rank) {
                    continue;
                }

                let mut new = state.clone();
                new.write(slot, write, payload, rank);
                new.log.push(Assigned::Write { slot, write });
                if seen.insert(new.key()) {
                    next.push(new);
                }
            }
        }
        self.states = next;
    }

    fn search_result(&mut self, line: u32, sum: Digest) {
        let mut next = Vec::with_capacity(self.states.len());
        let mut seen = rustc_hash::FxHashSet::default();
        for state in &self.states {
            for slot in state.matching(sum) {
                let mut new = state.clone();
                new.slots[slot].summed = true;
                new.log.push(Assigned::Result {
                    slot,
                    line,
                    sum,
                    verified: true,
                });
                if seen.insert(new.key()) {
                    next.push(new);
                }
            }
        }
        self.states = next;
    }

    /// After each event: done when one assignment remains and at most one block is unsummed
    /// (no lines left to trade), or, after a failure, when the naive routing reaches that point.
    fn step(&mut self) -> Step<'a> {
        match &self.failure {
            // Every remaining assignment explains every result and leaves at most one block
            // open: commit the likeliest. Summed blocks are proven by their hashes whichever
            // state is taken; the open one is proven (or flagged) by its own result later.
            None if !self.states.is_empty()
                && self.states.iter().all(|s| s.unsummed_open() <= 1) =>
            {
                let best = (0..self.states.len())
                    .min_by_key(|&i| self.states[i].switches)
                    .expect("a state");
                let state = self.states.swap_remove(best);
                Step::Done(self.outcome(state, None))
            }
            // The search gave up (too many assignments, or none fits its rules), but pairing
            // equal fields explains every result so far.
            _ if (self.failure.is_some() || self.search_dropped)
                && self.paired_ok
                && self.paired.unsummed_open() <= 1 =>
            {
                let paired = self.paired.clone();
                Step::Done(self.outcome(paired, None))
            }
            Some(failure) if !self.paired_ok && self.naive.unsummed_open() <= 1 => {
                let failure = failure.clone();
                let naive = self.naive.clone();
                Step::Done(self.outcome(naive, Some(failure)))
            }
            _ => Step::Pending,
        }
    }

    fn finish(mut self) -> Outcome<'a> {
        // Blocks left without a result are reported as such by `Demux::finish`; those with
        // results are proven whichever consistent assignment is taken.
        if self.failure.is_none() && !self.states.is_empty() {
            let best = (0..self.states.len())
                .min_by_key(|&i| self.states[i].switches)
                .expect("a state");
            let state = self.states.swap_remove(best);
            return self.outcome(state, None);
        }
        if (self.failure.is_some() || self.search_dropped)
            && self.paired_ok
            && self.paired.slots.iter().any(|s| s.summed)
        {
            let paired = self.paired.clone();
            return self.outcome(paired, None);
        }
        // The log ended with several assignments still possible. When none of the blocks
        // ever printed a result (abandoned, e.g. a test input "too new" to cache), that is the
        // honest reason; otherwise the lines could not be told apart.
        let failure = self.failure.clone().unwrap_or_else(|| {
            if self.naive.slots.iter().all(|s| !s.summed) {
                Unverified::NoResult
            } else {
                Unverified::Ambiguous {
                    open_at_once: self.members.len(),
                }
            }
        });
        let naive = self.naive.clone();
        self.outcome(naive, Some(failure))
    }

    fn outcome(&mut self, state: State<'a>, failure: Option<Unverified>) -> Outcome<'a> {
        Outcome {
            members: std::mem::take(&mut self.members),
            assignment: state.log.to_vec(),
            failure,
            slots: state.slots,
        }
    }
}

/// The field a write fills, which a block fills once: `file a.go` of `file a.go <id>`,
/// `import fmt` of `import fmt <cid>`, `packagefile fmt` of `packagefile fmt=<cid>`; for any
/// other line, the whole line.
fn field_key(payload: &[u8]) -> &[u8] {
    let cut = |sep: u8| memchr::memrchr(sep, payload).map_or(payload, |i| &payload[..i]);
    let dependency = payload.starts_with(b"import ") && !payload.starts_with(b"import \"");
    if payload.starts_with(b"file ") || payload.starts_with(b"vetout ") || dependency {
        cut(b' ')
    } else if payload.starts_with(b"packagefile ") || payload.starts_with(b"packageshlib ") {
        cut(b'=')
    } else {
        payload
    }
}

/// The fingerprint of a block's content after one more write.
fn chain_fingerprint(fp: u64, payload: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(fp);
    h.write(payload);
    h.finish()
}

/// A fingerprint of one write's payload.
fn payload_fingerprint(payload: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(payload);
    h.finish()
}

/// The fields a block has written, in order, with their positions.
#[derive(Clone, Default)]
struct FieldSeq {
    order: Vec<u64>,
    position: FxHashMap<u64, usize>,
}

impl FieldSeq {
    fn push(&mut self, fp: u64) {
        self.position.entry(fp).or_insert(self.order.len());
        self.order.push(fp);
    }

    fn contains(&self, fp: u64) -> bool {
        self.position.contains_key(&fp)
    }

    fn last(&self) -> Option<u64> {
        self.order.last().copied()
    }

    /// The field written right after `fp`, if any.
    fn after(&self, fp: u64) -> Option<u64> {
        let p = *self.position.get(&fp)?;
        self.order.get(p + 1).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum_of(parts: &[&[u8]]) -> Digest {
        let mut h = Sha256::new();
        for p in parts {
            h.update(p);
        }
        Digest(h.finalize().into())
    }

    /// Feeds (name, event) pairs; inputs are given unescaped and must not need escaping.
    fn run<'a>(events: &[(&'a str, Option<&'a str>, Option<Digest>)]) -> Vec<RawBlock<'a>> {
        let mut d = Demux::new();
        for (i, (name, input, result)) in events.iter().enumerate() {
            let line = i as u32 + 1;
            match (input, result) {
                (Some(body), _) => d.input(name.as_bytes(), body.as_bytes(), line).unwrap(),
                (None, Some(sum)) => d.result(name.as_bytes(), *sum, line),
                (None, None) => d.open(name.as_bytes(), line),
            }
        }
        d.finish()
    }

    #[test]
    fn interleaved_distinct_names() {
        let a = sum_of(&[b"go1.27.3", b"compile\n"]);
        let b = sum_of(&[b"go1.27.3", b"link\n"]);
        let blocks = run(&[
            ("build a", None, None),
            ("link b", None, None),
            ("build a", Some("go1.27.3"), None),
            ("link b", Some("go1.27.3"), None),
            ("link b", Some(r"link\n"), None),
            ("build a", Some(r"compile\n"), None),
            ("link b", None, Some(b)),
            ("build a", None, Some(a)),
        ]);
        assert_eq!(blocks.len(), 2);
        assert!(blocks.iter().all(|b| b.unverified.is_none()));
        assert_eq!(blocks[0].id(), Some(a));
        assert_eq!(blocks[1].writes.len(), 2);
    }

    #[test]
    fn continuation_after_result() {
        let first = sum_of(&[b"go1.27.3", b"gccCompilerID x"]);
        let second = sum_of(&[b"go1.27.3", b"gccCompilerID x", b"more\n"]);
        let blocks = run(&[
            ("gccCompilerID", None, None),
            ("gccCompilerID", Some("go1.27.3"), None),
            ("gccCompilerID", Some("gccCompilerID x"), None),
            ("gccCompilerID", None, Some(first)),
            ("gccCompilerID", Some(r"more\n"), None),
            ("gccCompilerID", None, Some(second)),
        ]);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].results.len(), 2);
        assert!(blocks[0].results.iter().all(|r| r.verified));
    }

    #[test]
    fn same_name_blocks_are_disentangled() {
        // A package and its test variant, hashed at the same time: their common lines come
        // twice, the test variant's own lines once, interleaved.
        let head: [&str; 6] = [
            r"compile\n",
            r"goos linux goarch amd64\n",
            r#"import \"p\"\n"#,
            r#"omitdebug false standard false local false prefix \"\"\n"#,
            r"compile compile version go1.27.3 [] []\n",
            r"GOAMD64=v1\n",
        ];
        let unq = |s: &str| {
            crate::parse::unquote::unquote_body(s.as_bytes())
                .unwrap()
                .into_owned()
        };
        let mut normal: Vec<Vec<u8>> = vec![b"go1.27.3".to_vec()];
        normal.extend(head.iter().map(|l| unq(l)));
        normal.extend([b"file a.go X\n".to_vec(), b"import fmt Y\n".to_vec()]);
        let mut test: Vec<Vec<u8>> = vec![b"go1.27.3".to_vec()];
        test.extend(head[..4].iter().map(|l| unq(l)));
        test.push(b"forcelibrary\n".to_vec());
        test.extend(head[4..].iter().map(|l| unq(l)));
        test.extend([
            b"file a.go X\n".to_vec(),
            b"file a_test.go Z\n".to_vec(),
            b"import fmt Y\n".to_vec(),
        ]);
        fn refs(v: &[Vec<u8>]) -> Vec<&[u8]> {
            v.iter().map(|x| x.as_slice()).collect()
        }
        let (n, t) = (sum_of(&refs(&normal)), sum_of(&refs(&test)));
        let p = "build p";
        let mut events: Vec<(&str, Option<&str>, Option<Digest>)> =
            vec![(p, None, None), (p, None, None)];
        events.push((p, Some("go1.27.3"), None));
        events.push((p, Some("go1.27.3"), None));
        for l in &head[..4] {
            events.push((p, Some(l), None));
            events.push((p, Some(l), None));
        }
        events.push((p, Some(r"forcelibrary\n"), None));
        for l in &head[4..] {
            events.push((p, Some(l), None));
            events.push((p, Some(l), None));
        }
        events.extend([
            (p, Some(r"file a.go X\n"), None),
            (p, Some(r"file a.go X\n"), None),
            (p, Some(r"file a_test.go Z\n"), None),
            (p, Some(r"import fmt Y\n"), None),
            (p, None, Some(n)),
            (p, Some(r"import fmt Y\n"), None),
            (p, None, Some(t)),
        ]);
        let blocks = run(&events);
        assert_eq!(blocks.len(), 2);
        for b in &blocks {
            assert_eq!(b.unverified, None, "{b:?}");
            assert!(b.disentangled);
        }
        let ids: Vec<_> = blocks.iter().map(|b| b.id().unwrap()).collect();
        assert!(ids.contains(&n) && ids.contains(&t));
    }

    #[test]
    fn identical_blocks_hashed_at_once_are_paired() {
        // `go build std cmd` hashes some packages twice at the same time: two identical
        // blocks whose lines alternate, far too many for the search, which pairing resolves.
        let lines: Vec<String> = std::iter::once("go1.27.3".to_string())
            .chain([
                r"compile\n".to_string(),
                r"goos linux goarch amd64\n".to_string(),
                r#"import \"p\"\n"#.to_string(),
                r#"omitdebug false standard true local false prefix \"\"\n"#.to_string(),
                r"compile compile version go1.27.3 [] []\n".to_string(),
                r"GOAMD64=v1\n".to_string(),
            ])
            .chain((0..40).map(|i| format!(r"file f{i:02}.go ID{i:02}\n")))
            .chain((0..20).map(|i| format!(r"import dep{i:02} C{i:02}\n")))
            .collect();
        let payloads: Vec<Vec<u8>> = lines
            .iter()
            .map(|l| {
                crate::parse::unquote::unquote_body(l.as_bytes())
                    .unwrap()
                    .into_owned()
            })
            .collect();
        let sum = sum_of(&payloads.iter().map(|x| x.as_slice()).collect::<Vec<_>>());
        let p = "build p";
        let mut events: Vec<(&str, Option<&str>, Option<Digest>)> = vec![(p, None, None)];
        // The first block runs ahead by ten lines, then both alternate.
        for l in &lines[..10] {
            events.push((p, Some(l), None));
        }
        events.push((p, None, None));
        for i in 10..lines.len() {
            events.push((p, Some(&lines[i]), None));
            events.push((p, Some(&lines[i - 10]), None));
        }
        events.push((p, None, Some(sum)));
        for l in &lines[lines.len() - 10..] {
            events.push((p, Some(l), None));
        }
        events.push((p, None, Some(sum)));
        let blocks = run(&events);
        assert_eq!(blocks.len(), 2);
        for b in &blocks {
            assert_eq!(b.unverified, None, "{b:?}");
            assert_eq!(b.id(), Some(sum));
        }
    }

    #[test]
    fn unexplainable_same_name_blocks_are_unverified_not_misassigned() {
        let bogus = sum_of(&[b"nothing"]);
        let blocks = run(&[
            ("testmain", None, None),
            ("testmain", None, None),
            ("testmain", Some("go1.27.3"), None),
            ("testmain", Some("go1.27.3"), None),
            ("testmain", None, Some(bogus)),
        ]);
        assert!(blocks.iter().all(|b| matches!(
            b.unverified,
            Some(Unverified::Ambiguous { open_at_once: 2 })
        )));
    }

    #[test]
    fn mismatch_and_missing_result() {
        let bogus = sum_of(&[b"nothing"]);
        let blocks = run(&[
            ("build a", None, None),
            ("build a", Some("go1.27.3"), None),
            ("build a", None, Some(bogus)),
            ("build b", None, None),
            ("build b", Some("go1.27.3"), None),
        ]);
        assert_eq!(blocks[0].unverified, Some(Unverified::Mismatch));
        assert_eq!(blocks[1].unverified, Some(Unverified::NoResult));
    }

    #[test]
    fn lines_before_the_open_line() {
        let blocks = run(&[("build a", Some(r"compile\n"), None)]);
        assert_eq!(blocks[0].unverified, Some(Unverified::NoOpenLine));
        assert_eq!(blocks[0].open_line, None);
    }

    #[test]
    fn bad_escape_is_reported_with_its_line() {
        let mut d = Demux::new();
        d.open(b"build a", 1);
        assert_eq!(
            d.input(b"build a", br"\q", 2),
            Err(BadPayload {
                line: 2,
                reason: "unknown escape"
            })
        );
    }
}
