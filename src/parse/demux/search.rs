//! Telling same-name blocks apart: which of the blocks open at once wrote each line.
//!
//! While two or more blocks of one name are open and unsummed, their lines are buffered here as a
//! *group*, and a depth-first search gives each line to one of the open blocks. A block's lines
//! are accepted only when the SHA-256 of their payloads is the result Go printed for it, so an
//! assignment under which every result line verifies gives every summed block its real contents
//! (other contents with the same SHA-256 would be a collision): the search stops at the first
//! such assignment rather than enumerating them. The group closes, and its blocks go back to
//! plain routing, once every block in it is summed, that is, proven.
//!
//! The search keeps its path (which block took each line) and its choice points (lines another
//! block could have taken). A line no block can take, or a result that no block's lines hash to,
//! sends it back: to the latest choice point, or, when the line is a field that every block has
//! gone past in the kind's order, straight to the last choice that took a block past it. States
//! that failed are remembered by content: blocks of one name differ only in what they hold, so
//! two states whose blocks hold the same lines have the same future, whichever block holds
//! which. The first time the search reaches a line it has to go back from, it starts over from
//! the group's start instead, now knowing which lines come again later, which is what the
//! likeliest choices depend on. Each group has a budget of states; past it, or when no
//! assignment explains a result, the blocks not proven are left unverified with the reason,
//! the lines up to that point are frozen as they are, and the search goes on with the lines
//! after it, so that later blocks of the group can still be proven.
//!
//! Choices are tried likeliest first. A line that another block already holds goes to a block
//! that lacks it, preferably the one whose last line is the one before it in the other block,
//! or that has as many lines as the other had before it (a package and its test variant write
//! the same header and files). A line no other block has goes, if no later line repeats it, to
//! the block that already holds such lines (only a test variant writes `forcelibrary`, its test
//! files and its test imports); if a later line repeats it, to a block that is not behind (a
//! block whose last line another block shows more after is catching up), then to the block that
//! wrote the group's previous line (a goroutine writes its lines in runs).
//!
//! Rules prune the search; they follow from how `cmd/go` writes:
//! * `cache.NewHash` (cmd/go/internal/cache/hash.go) writes the salt, `runtime.Version()`, before
//!   anything else, so a block with no lines yet takes only the salt;
//! * within a block, fields come in the order of the kind's [`FieldOrder`] (for builds,
//!   cmd/go/internal/work/exec.go, (*Builder).buildActionID): a block never takes a field that
//!   ranks before one it has;
//! * `Sum` is printed again only after more writes (only `gccCompilerID` sums twice);
//! * a block writes each line once, and two blocks of one package write their common lines in
//!   the same order. A test variant breaks this where its test imports, which come first
//!   (cmd/go/internal/load/test.go, TestPackagesAndErrors), are also the package's imports, so
//!   these are not forbidden but counted as repeats: a path may have none at first, and one
//!   more (up to `MAX_REPEATS`) each time no path explains the results.
//!
//! If the rules leave no assignment at all, the search runs once more without them, so that a
//! go version writing its fields in another order is still demultiplexed.

use std::hash::Hasher as _;

use rustc_hash::{FxHashMap, FxHasher};
use sha2::{Digest as _, Sha256};

use super::{FieldOrder, Unverified, WriteRef};
use crate::model::Digest;

/// How many states the search of one group may visit (between two give-ups) before the blocks
/// it has not proven are reported unverified.
pub(crate) const SEARCH_BUDGET: u64 = 200_000;

/// How many states all the searches of one log may visit together.
pub(super) const LOG_BUDGET: u64 = 8 * SEARCH_BUDGET;

/// Past this many buffered lines a group commits the assignment it has (every result so far
/// verified) and starts again from there, which bounds its memory.
const GROUP_CAP: usize = 1 << 16;

/// How many times a path may give a block a line it already holds, when no more blocks than
/// that line's copies exist (a block writes each field once, except a test variant's imports
/// that its test files share with the package: cmd/go/internal/load/test.go, TestPackagesAndErrors,
/// puts the test imports before the package's).
const MAX_REPEATS: u32 = 4;

/// How many times the search of a group starts over from its floor on reaching a line no earlier
/// search reached, now knowing which lines come again later.
const MAX_RESTARTS: u32 = 32;

/// How far after a block's line the search looks for the block's next line.
const SUCCESSOR_LOOKED_AT: usize = 64;

/// How many earlier lines with the same payload are looked at to find the blocks holding it.
const HOLDERS_LOOKED_AT: usize = 8;

/// No event.
const NONE: u32 = u32::MAX;

/// A block of the group as it was when the group started.
pub(super) struct Seed {
    pub block: u32,
    /// The running SHA-256 of its lines so far.
    pub hasher: Sha256,
    /// The unquoted payloads of its lines so far.
    pub payloads: Vec<Vec<u8>>,
    pub summed: bool,
    /// It has lines after its latest result.
    pub written_since_sum: bool,
    /// Its opening line is in the log, so its first line is the salt.
    pub opened: bool,
}

/// A line the group has buffered.
enum Event<'a> {
    Open,
    Input(Line<'a>),
    Result { line: u32, sum: Digest },
}

struct Line<'a> {
    write: WriteRef<'a>,
    /// The unquoted payload, `arena[at..at + len]`.
    at: u32,
    len: u32,
    fp: u64,
    /// The previous input event of the group with the same payload, or `NONE`.
    prev: u32,
    /// The next one so far, or `NONE`.
    next: u32,
    /// A block held this payload before the group started.
    seeded: bool,
    rank: Option<u16>,
}

/// Which slot took an event, and for an input its position among the slot's lines.
#[derive(Clone, Copy)]
struct Placed {
    slot: u32,
    nth: u32,
    /// For an input: the fingerprint of the slot's payload before it.
    after: u64,
    /// For an input: a later line repeated it when it was placed (its slot then leads by it).
    awaits: bool,
    /// A result line that no assignment explains, given to `slot` unverified.
    unexplained: bool,
}

#[derive(Clone)]
struct Slot {
    hasher: Sha256,
    /// Fingerprint of the payloads so far (0 for none).
    fp: u64,
    /// Fingerprint of the latest payload alone (0 for none).
    last_fp: u64,
    /// SHA-256 of the payloads so far, once computed.
    sum: Option<Digest>,
    writes: u32,
    /// Rank of the latest ranked field.
    rank: u16,
    /// Lines it holds that no other line of the group repeats (so far): the lines only one of
    /// the blocks writes (a test variant's `forcelibrary`, test files and test imports).
    unique: u32,
    /// Lines it holds that a later line repeats, not yet repeated on the path: lines it leads
    /// by, which the other blocks have still to write.
    leads: u32,
    summed: bool,
    /// Lines since the latest result: `Sum` is printed again only after more writes
    /// (cmd/go/internal/work/exec.go, (*Builder).gccCompilerID).
    written_since_sum: bool,
    /// A newer block of the name opened after this one was summed: it takes no more lines.
    retired: bool,
    /// In a group of two blocks: one past the highest position, in the other block, of a line
    /// both hold as a pair (their common lines come in the same order in both).
    pair_past: u32,
}

impl Slot {
    fn fresh() -> Self {
        Slot {
            hasher: Sha256::new(),
            fp: 0,
            last_fp: 0,
            sum: None,
            writes: 0,
            rank: 0,
            unique: 0,
            leads: 0,
            summed: false,
            written_since_sum: false,
            retired: false,
            pair_past: 0,
        }
    }
}

/// The blocks' contents after some prefix of the group's lines.
#[derive(Clone)]
struct State {
    slots: Vec<Slot>,
    /// The slot that took the latest line, or `NONE`.
    last: u32,
    /// Lines given to a block that already held them (see `MAX_REPEATS`).
    repeats: u32,
}

impl State {
    fn any_unsummed(&self) -> bool {
        self.slots.iter().any(|s| !s.retired && !s.summed)
    }
}

/// A line that more than one slot could take: the state before it and the slots left to try
/// (the next one last).
struct Choice {
    at: u32,
    state: State,
    rest: Vec<u32>,
}

/// Why the search stopped without an assignment.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fail {
    /// No assignment explains every result.
    Exhausted,
    /// The budget ran out first.
    Budget,
}

/// The path as it was before a search that had to go back, restored if the search fails.
struct Snapshot {
    state: State,
    path: Vec<Placed>,
    keys: Vec<(u64, u32)>,
}

/// After a line: whether the group can close (every block proven, or too many lines buffered).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Progress {
    Pending,
    Close,
}

/// One line of the group, with the slot that took it.
#[derive(Clone, Copy)]
pub(super) enum Assigned<'a> {
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

/// A closed group: its blocks (one per slot), each line with its slot, and each slot's end state.
pub(super) struct Outcome<'a> {
    pub members: Vec<u32>,
    pub lines: Vec<Assigned<'a>>,
    /// Per slot: the running SHA-256, summed, retired.
    pub slots: Vec<(Sha256, bool, bool)>,
    /// Set when a result line could not be explained (the blocks it may belong to are not
    /// proven).
    pub failure: Option<Unverified>,
}

/// Same-name blocks open at once, their buffered lines, and the search over them.
pub(super) struct Group<'a> {
    members: Vec<u32>,
    order: FieldOrder,
    salt: Option<Vec<u8>>,
    events: Vec<Event<'a>>,
    arena: Vec<u8>,
    /// Latest input event per payload fingerprint.
    last_seen: FxHashMap<u64, u32>,
    /// How often each payload occurs among the buffered lines and the blocks' lines before the
    /// group.
    count: FxHashMap<u64, u32>,
    /// A payload now occurs more often than a block-once rule assumed: failed states and choice
    /// points may be stale, so the next search starts over.
    rules_changed: bool,
    /// Per slot that existed when the group started: payload fingerprint → its position there
    /// and the fingerprint of the payload before it.
    seeded: Vec<FxHashMap<u64, (u32, u64)>>,

    /// Lines before `floor` are frozen (a search gave up there); `floor_state` is the state at it.
    floor: usize,
    floor_state: State,
    /// The state after the first `path.len()` lines.
    state: State,
    path: Vec<Placed>,
    /// `keys[m]`: the content key and repeats of the state before line `m`
    /// (`keys.len() == path.len() + 1`).
    keys: Vec<(u64, u32)>,
    choices: Vec<Choice>,
    /// States (line, key) from which no assignment explains the lines buffered so far, with the
    /// most repeats the failing search still allowed from there.
    failed: FxHashMap<(u32, u64), u32>,
    /// States visited since the floor last moved.
    visited: u64,

    /// The furthest line at which a search had to go back.
    frontier: usize,
    /// Searches started over from the floor on reaching a new frontier.
    restarts: u32,
    /// Repeats a path may have (raised, up to `MAX_REPEATS`, when none explains the results).
    allowance: u32,

    /// The pruning rules gave no assignment: searching without them.
    relaxed: bool,
    failure: Option<Unverified>,
    alts: Vec<(u32, (u64, u32))>,
    ranked: Vec<([i64; 7], u32)>,
}

impl<'a> Group<'a> {
    pub(super) fn start(order: FieldOrder, seeds: Vec<Seed>) -> Self {
        let mut salt = None;
        let mut seeded = Vec::with_capacity(seeds.len());
        let mut count: FxHashMap<u64, u32> = FxHashMap::default();
        let mut slots = Vec::with_capacity(seeds.len());
        let mut members = Vec::with_capacity(seeds.len());
        for seed in seeds {
            if salt.is_none() && seed.opened {
                salt = seed.payloads.first().cloned();
            }
            let mut positions = FxHashMap::default();
            let mut slot = Slot {
                hasher: seed.hasher,
                summed: seed.summed,
                written_since_sum: seed.written_since_sum,
                ..Slot::fresh()
            };
            for (i, p) in seed.payloads.iter().enumerate() {
                *count.entry(payload_fingerprint(p)).or_default() += 1;
                positions
                    .entry(payload_fingerprint(p))
                    .or_insert((i as u32, slot.last_fp));
                slot.fp = chain_fingerprint(slot.fp, p);
                slot.last_fp = payload_fingerprint(p);
                slot.writes += 1;
                if let Some(r) = order.rank(p) {
                    slot.rank = r;
                }
            }
            seeded.push(positions);
            slots.push(slot);
            members.push(seed.block);
        }
        let state = State {
            slots,
            last: NONE,
            repeats: 0,
        };
        let key = (state_key(&state), 0);
        Group {
            members,
            order,
            salt,
            events: Vec::new(),
            arena: Vec::new(),
            last_seen: FxHashMap::default(),
            count,
            rules_changed: false,
            seeded,
            floor: 0,
            floor_state: state.clone(),
            state,
            path: Vec::new(),
            keys: vec![key],
            choices: Vec::new(),
            failed: FxHashMap::default(),
            visited: 0,
            frontier: 0,
            restarts: 0,
            allowance: 0,

            relaxed: false,
            failure: None,
            alts: Vec::new(),
            ranked: Vec::new(),
        }
    }

    /// `HASH[name]`: block `block` opens.
    pub(super) fn open(&mut self, block: u32, pool: &mut u64) -> Progress {
        self.members.push(block);
        self.events.push(Event::Open);
        self.advance(pool)
    }

    /// `HASH[name]: "…"` with its unquoted payload.
    pub(super) fn input(
        &mut self,
        write: WriteRef<'a>,
        payload: &[u8],
        pool: &mut u64,
    ) -> Progress {
        let at = self.arena.len() as u32;
        self.arena.extend_from_slice(payload);
        let fp = payload_fingerprint(payload);
        let index = self.events.len() as u32;
        let prev = self.last_seen.insert(fp, index).unwrap_or(NONE);
        if let Some(Event::Input(earlier)) = self.events.get_mut(prev as usize) {
            earlier.next = index;
        }
        if self.salt.is_none() {
            // No block had a line yet, so this one is a block's first: the salt.
            self.salt = Some(payload.to_vec());
        }
        let rank = self.order.rank(payload);
        let seeded = self.seeded.iter().any(|m| m.contains_key(&fp));
        let count = self.count.entry(fp).or_default();
        *count += 1;
        if *count >= 3 {
            self.rules_changed = true;
        }
        self.events.push(Event::Input(Line {
            write,
            at,
            len: payload.len() as u32,
            fp,
            prev,
            next: NONE,
            seeded,
            rank,
        }));
        self.advance(pool)
    }

    /// `HASH[name]: <hex>`.
    pub(super) fn result(&mut self, line: u32, sum: Digest, pool: &mut u64) -> Progress {
        self.events.push(Event::Result { line, sum });
        self.advance(pool)
    }

    /// The group's lines with the slot each went to, in log order, and the blocks' end states.
    pub(super) fn finish(self) -> Outcome<'a> {
        debug_assert_eq!(self.path.len(), self.events.len());
        let lines = self
            .events
            .iter()
            .zip(&self.path)
            .filter_map(|(event, placed)| {
                let slot = placed.slot as usize;
                match event {
                    Event::Open => None,
                    Event::Input(w) => Some(Assigned::Write {
                        slot,
                        write: w.write,
                    }),
                    &Event::Result { line, sum } => Some(Assigned::Result {
                        slot,
                        line,
                        sum,
                        verified: !placed.unexplained,
                    }),
                }
            })
            .collect();
        Outcome {
            members: self.members,
            lines,
            slots: self
                .state
                .slots
                .into_iter()
                .map(|s| (s.hasher, s.summed, s.retired))
                .collect(),
            failure: self.failure,
        }
    }

    /// Places the line just buffered, searching again if the current path cannot take it.
    fn advance(&mut self, pool: &mut u64) -> Progress {
        let r = self.events.len() - 1;
        debug_assert_eq!(self.path.len(), r);
        let mut snapshot = None;
        let mut outcome = self.search(pool, &mut snapshot);
        while outcome == Err(Fail::Exhausted) && !self.relaxed {
            if self.allowance < MAX_REPEATS {
                // Some block holds a line twice: allow one more repeat.
                self.allowance += 1;
                self.restart_from_floor(false);
            } else {
                // The pruning rules may not hold for this go version: once more without them.
                self.relaxed = true;
                self.restart_from_floor(true);
            }
            outcome = self.search(pool, &mut snapshot);
        }
        if let Err(fail) = outcome {
            let snapshot = snapshot.expect("a search fails only after going back");
            self.give_up(r, fail, snapshot);
        }
        let all_summed = self.state.slots.iter().all(|s| s.summed);
        if all_summed || self.events.len() >= GROUP_CAP {
            Progress::Close
        } else {
            Progress::Pending
        }
    }

    /// Depth-first from the current path until every buffered line is placed. Before it first
    /// goes back, the path is saved in `snapshot`.
    fn search(&mut self, pool: &mut u64, snapshot: &mut Option<Snapshot>) -> Result<(), Fail> {
        while self.path.len() < self.events.len() {
            let m = self.path.len();
            self.alternatives(m, false);
            if self.alts.is_empty() {
                if snapshot.is_none() {
                    *snapshot = Some(Snapshot {
                        state: self.state.clone(),
                        path: self.path[self.floor..].to_vec(),
                        keys: self.keys[self.floor..].to_vec(),
                    });
                }
                if self.rules_changed {
                    self.rules_changed = false;
                    self.restart_from_floor(true);
                    continue;
                }
                if m > self.frontier && self.restarts < MAX_RESTARTS {
                    // A line no earlier search reached: what came before was placed without
                    // knowing which lines come again later. Start over from the floor, now
                    // knowing (the failed states stay remembered).
                    self.frontier = m;
                    self.restarts += 1;
                    self.restart_from_floor(false);
                    continue;
                }
                let jump = self.rank_conflict(m);
                if !self.backtrack(jump) {
                    return Err(Fail::Exhausted);
                }
                continue;
            }
            let (slot, key) = self.alts[0];
            if self.alts.len() > 1 {
                let rest = self.alts[1..].iter().rev().map(|&(s, _)| s).collect();
                self.choices.push(Choice {
                    at: m as u32,
                    state: self.state.clone(),
                    rest,
                });
            }
            self.take(m, slot, key);
            // Only a search that went back spends the budget: placing lines as they come is
            // linear.
            if snapshot.is_some() {
                self.visited += 1;
                if self.visited > SEARCH_BUDGET || *pool == 0 {
                    return Err(Fail::Budget);
                }
                *pool -= 1;
            }
        }
        Ok(())
    }

    /// Returns to the latest choice point with an untried slot, remembering the states passed on
    /// the way back as failed. False when there is none left.
    fn backtrack(&mut self, jump: Option<usize>) -> bool {
        if let Some(target) = jump {
            // The dead end follows from the lines up to `target`: the choices after it cannot
            // help, and every state passed on the way back fails.
            while let Some(choice) = self.choices.last()
                && choice.at as usize > target
            {
                let at = choice.at as usize;
                self.remember_failed(at + 1);
                let choice = self.choices.pop().expect("the choice point");
                self.state = choice.state;
                self.path.truncate(at);
                self.keys.truncate(at + 1);
            }
        }
        loop {
            let Some(at) = self.choices.last().map(|c| c.at as usize) else {
                return false;
            };
            self.remember_failed(at + 1);
            let choice = self.choices.last_mut().expect("the choice point");
            let slot = choice
                .rest
                .pop()
                .expect("a choice point keeps an untried slot");
            self.state = if choice.rest.is_empty() {
                self.choices.pop().expect("the choice point").state
            } else {
                choice.state.clone()
            };
            self.path.truncate(at);
            self.keys.truncate(at + 1);
            let key = self.child_key(at, slot);
            if self.known_failed(at + 1, key) {
                continue;
            }
            self.take(at, slot, key);
            return true;
        }
    }

    /// Remembers the states on the path from line `from` to its end as failed.
    fn remember_failed(&mut self, from: usize) {
        for m in from..=self.path.len() {
            let (key, repeats) = self.keys[m];
            let left = self.allowance.saturating_sub(repeats);
            let known = self.failed.entry((m as u32, key)).or_insert(left);
            *known = (*known).max(left);
        }
    }

    /// When input line `m` has no block to go to only because every block has gone past its
    /// field in the kind's order, the latest line that took a block past it: no choice made
    /// after that line can make room. `None` when a block is excluded for another reason.
    fn rank_conflict(&self, m: usize) -> Option<usize> {
        let Event::Input(w) = &self.events[m] else {
            return None;
        };
        let r = w.rank?;
        if self.relaxed {
            return None;
        }
        let mut target = None;
        for (i, s) in self.state.slots.iter().enumerate() {
            if s.retired || s.summed || s.writes == 0 || s.rank <= r {
                return None;
            }
            // Ranks only grow along a block, so the first of its lines ranked above `r`.
            let first = (self.floor..m).find(|&x| {
                self.path[x].slot as usize == i
                    && matches!(&self.events[x], Event::Input(l) if l.rank.is_some_and(|lr| lr > r))
            });
            if let Some(x) = first {
                target = Some(target.map_or(x, |t: usize| t.max(x)));
            }
        }
        // No line of the group did it (the blocks had their ranks before): jump to the floor.
        Some(target.unwrap_or(self.floor))
    }

    /// Back to the floor, forgetting the path; with `forget`, the failed states too (the
    /// pruning changed).
    fn restart_from_floor(&mut self, forget: bool) {
        self.state = self.floor_state.clone();
        self.path.truncate(self.floor);
        self.keys.truncate(self.floor + 1);
        self.choices.clear();
        if forget {
            self.failed.clear();
        }
    }

    /// No assignment (within the budget) explains line `r`: keep the path that explained every
    /// line before it, place line `r` as best it can be, and freeze everything up to it.
    fn give_up(&mut self, r: usize, fail: Fail, snapshot: Snapshot) {
        self.state = snapshot.state;
        self.path.truncate(self.floor);
        self.path.extend(snapshot.path);
        self.keys.truncate(self.floor);
        self.keys.extend(snapshot.keys);
        let open_at_once = self.members.len();
        self.failure.get_or_insert(match fail {
            Fail::Exhausted => Unverified::Ambiguous { open_at_once },
            Fail::Budget => Unverified::SearchLimit { open_at_once },
        });
        match &self.events[r] {
            Event::Result { .. } => {
                // The block that wrote last is the likeliest owner; the result stays unverified.
                let slots = &self.state.slots;
                let open = |i: usize| !slots[i].retired && !slots[i].summed;
                let last = self.state.last as usize;
                let slot = if last < slots.len() && open(last) {
                    last
                } else {
                    (0..slots.len())
                        .rev()
                        .find(|&i| open(i))
                        .or_else(|| (0..slots.len()).rev().find(|&i| !slots[i].retired))
                        .unwrap_or(slots.len() - 1)
                };
                self.state.slots[slot].summed = true;
                self.state.slots[slot].written_since_sum = false;
                self.state.last = slot as u32;
                self.path.push(Placed {
                    slot: slot as u32,
                    nth: 0,
                    after: 0,
                    awaits: false,
                    unexplained: true,
                });
                self.keys.push((state_key(&self.state), self.state.repeats));
            }
            Event::Input(_) | Event::Open => {
                self.alternatives(r, true);
                let slot = match self.alts.first() {
                    Some(&(slot, _)) => slot,
                    // Every block is retired (cannot happen: the newest never is): the newest.
                    None => self.state.slots.len() as u32 - 1,
                };
                self.take(r, slot, self.child_key(r, slot));
            }
        }
        self.floor = r + 1;
        self.floor_state = self.state.clone();
        self.choices.clear();
        self.failed.clear();
        self.visited = 0;
    }

    /// Puts line `m` in `slot` on the path; `key` is the key of the state after it.
    fn take(&mut self, m: usize, slot: u32, key: (u64, u32)) {
        debug_assert_eq!(self.path.len(), m);
        let mut state = std::mem::replace(
            &mut self.state,
            State {
                slots: Vec::new(),
                last: NONE,
                repeats: 0,
            },
        );
        let (after, awaits) = match &self.events[m] {
            Event::Input(w) => (state.slots[slot as usize].last_fp, w.next != NONE),
            _ => (0, false),
        };
        let nth = self.apply(&mut state, m, slot);
        self.state = state;
        self.path.push(Placed {
            slot,
            nth,
            after,
            awaits,
            unexplained: false,
        });
        self.keys.push(key);
    }

    /// Line `m` goes to `slot` in `state`. Returns the line's position in the slot.
    fn apply(&self, state: &mut State, m: usize, slot: u32) -> u32 {
        let s = slot as usize;
        match &self.events[m] {
            Event::Open => {
                for other in &mut state.slots {
                    if other.summed {
                        other.retired = true;
                    }
                }
                state.slots.push(Slot::fresh());
                0
            }
            Event::Input(w) => {
                if self.is_repeat(w, slot, state.slots.len()) {
                    state.repeats += 1;
                }
                if self.pair_with_holders(state, w, s) && !self.relaxed {
                    state.repeats += 1;
                }
                if w.prev != NONE {
                    let earlier = self.path[w.prev as usize];
                    if earlier.awaits {
                        let holder = &mut state.slots[earlier.slot as usize];
                        holder.leads = holder.leads.saturating_sub(1);
                    }
                }
                let payload = &self.arena[w.at as usize..(w.at + w.len) as usize];
                let target = &mut state.slots[s];
                target.hasher.update(payload);
                target.sum = None;
                target.fp = chain_fingerprint(target.fp, payload);
                target.last_fp = w.fp;
                target.writes += 1;
                target.written_since_sum = true;
                if w.prev == NONE && w.next == NONE && !w.seeded {
                    target.unique += 1;
                }
                if w.next != NONE {
                    target.leads += 1;
                }
                if let Some(r) = w.rank {
                    target.rank = r;
                }
                state.last = slot;
                target.writes - 1
            }
            Event::Result { .. } => {
                state.slots[s].summed = true;
                state.slots[s].written_since_sum = false;
                state.last = slot;
                0
            }
        }
    }

    /// The slots that may take line `m` after the current path, likeliest first, each with the
    /// key of the state it leads to, without repeated or known-failed states (into `self.alts`).
    /// `any` drops the pruning rules and the memory of failures (a fallback placement).
    fn alternatives(&mut self, m: usize, any: bool) {
        let mut ranked = std::mem::take(&mut self.ranked);
        ranked.clear();
        match &self.events[m] {
            Event::Open => ranked.push(([0; 7], self.state.slots.len() as u32)),
            Event::Input(w) => self.rank_input(w, any, &mut ranked),
            Event::Result { sum, .. } => {
                let last = self.state.last;
                for (i, s) in self.state.slots.iter_mut().enumerate() {
                    if s.retired || (s.summed && !s.written_since_sum) {
                        continue;
                    }
                    let hasher = &s.hasher;
                    let now = *s
                        .sum
                        .get_or_insert_with(|| Digest(hasher.clone().finalize().into()));
                    if any || now == *sum {
                        let is_last = i64::from(i as u32 == last);
                        ranked.push((
                            [i64::from(!s.summed), is_last, !i as i64, 0, 0, 0, 0],
                            i as u32,
                        ));
                    }
                }
            }
        }
        ranked.sort_unstable_by_key(|&(score, _)| std::cmp::Reverse(score));
        let mut alts = std::mem::take(&mut self.alts);
        alts.clear();
        for &(_, slot) in &ranked {
            let key = self.child_key(m, slot);
            if key.1 > self.allowance && !any {
                continue;
            }
            // Alternatives come likeliest first, so a repeated state keeps its fewest repeats.
            if alts.iter().any(|&(_, k)| k.0 == key.0) || (!any && self.known_failed(m + 1, key)) {
                continue;
            }
            alts.push((slot, key));
        }

        self.alts = alts;
        self.ranked = ranked;
    }

    /// Scores the slots that may take input line `w` (higher is likelier).
    fn rank_input(&self, w: &Line<'a>, any: bool, ranked: &mut Vec<([i64; 7], u32)>) {
        let st = &self.state;
        let payload = &self.arena[w.at as usize..(w.at + w.len) as usize];
        let relaxed = self.relaxed || any;
        let is_salt = self.salt.as_deref() == Some(payload);
        let any_unsummed = st.any_unsummed();
        // The line just read: whether a later line repeats it is not known yet.
        let newest = std::ptr::eq(
            w,
            match self.events.last() {
                Some(Event::Input(l)) => l,
                _ => std::ptr::null(),
            },
        );
        // Where this payload is already: (slot, its position there, the payload before it).
        let mut holders = [(0u32, 0u32, 0u64); HOLDERS_LOOKED_AT];
        let mut found = 0;
        let mut x = w.prev;
        while x != NONE && found < HOLDERS_LOOKED_AT {
            let placed = self.path[x as usize];
            holders[found] = (placed.slot, placed.nth, placed.after);
            found += 1;
            x = match &self.events[x as usize] {
                Event::Input(earlier) => earlier.prev,
                _ => NONE,
            };
        }
        let holders = &holders[..found];
        let seeded = |i: usize| self.seeded.get(i).and_then(|m| m.get(&w.fp));
        // Two blocks and three copies: one block writes it twice (a test variant's import that
        // its package has too), so holding it already is no sign against a block.
        let spare_copies = st.slots.len() == 2 && self.count.get(&w.fp).copied().unwrap_or(0) > 2;
        // How far each block is behind the others: the lines they lead by.
        let leads: i64 = st.slots.iter().map(|s| i64::from(s.leads)).sum();
        for (i, s) in st.slots.iter().enumerate() {
            if s.retired || (any_unsummed && s.summed) {
                continue;
            }
            // Holding it already counts against a block.
            let has =
                (holders.iter().any(|h| h.0 as usize == i) || seeded(i).is_some()) && !spare_copies;
            if !relaxed {
                if s.writes == 0 && !is_salt {
                    continue;
                }
                if w.rank.is_some_and(|r| r < s.rank) {
                    continue;
                }
            }
            let elsewhere = holders
                .iter()
                .find(|h| h.0 as usize != i)
                .map(|h| (h.1, Some(h.2)))
                .or_else(|| {
                    (0..self.seeded.len())
                        .filter(|&j| j != i)
                        .find_map(|j| seeded(j).map(|&(nth, after)| (nth, Some(after))))
                });
            let is_last = i64::from(i as u32 == st.last);
            let salt_fit = i64::from(is_salt && s.writes == 0);
            let score = match elsewhere {
                // Catching up on a line another block has: the block whose last line is the
                // one before it there, then the one with as many lines as that block had before
                // it, then the block that wrote last, then the one furthest behind.
                Some((nth, after)) => [
                    salt_fit,
                    i64::from(!has),
                    i64::from(after == Some(s.last_fp)),
                    -(i64::from(s.writes) - i64::from(nth)).abs(),
                    is_last,
                    -i64::from(s.writes),
                    !i as i64,
                ],
                // A line no other block has (yet) and that no later line repeats: the lines
                // only one block writes go together, so the block holding most such lines,
                // then the one whose last field comes right before it in the kind's order.
                // A block that another block shows what comes after its last line is catching
                // up, and a new line is not what comes next.
                None if w.next == NONE && !newest => [
                    salt_fit,
                    i64::from(!has),
                    i64::from(s.unique),
                    i64::from(!self.behind(i, s.last_fp, st)),
                    is_last,
                    w.rank.map_or(0, |_| i64::from(s.rank)),
                    i64::from(s.writes),
                ],
                // The first of a line that comes again later: a block not catching up, then the
                // block that wrote last, then the one least behind, then the block whose last
                // field comes right before it in the kind's order.
                None => [
                    salt_fit,
                    i64::from(!has),
                    i64::from(!self.behind(i, s.last_fp, st)),
                    is_last,
                    -(leads - i64::from(s.leads)),
                    w.rank.map_or(0, |_| i64::from(s.rank)),
                    i64::from(s.writes),
                ],
            };
            ranked.push((score, i as u32));
        }
    }

    /// Whether another block holds the payload `last` (slot `i`'s latest) and has written after
    /// it a line that another line of the group repeats (not one only that block writes): slot
    /// `i` is behind that block and would copy that line next.
    fn behind(&self, i: usize, last: u64, st: &State) -> bool {
        if last == 0 {
            return false;
        }
        let live = |t: usize| t != i && !st.slots[t].retired;
        for (t, seeded) in self.seeded.iter().enumerate() {
            if let Some(&(nth, _)) = seeded.get(&last)
                && live(t)
                && st.slots[t].writes > nth + 1
            {
                return true;
            }
        }
        let mut x = self.last_seen.get(&last).copied().unwrap_or(NONE);
        let mut looked = 0;
        while x != NONE && looked < HOLDERS_LOOKED_AT {
            if let Some(placed) = self.path.get(x as usize) {
                looked += 1;
                let t = placed.slot as usize;
                if live(t) && st.slots[t].writes > placed.nth + 1 {
                    // The line `t` wrote after `last`.
                    let after = (x as usize + 1..self.path.len())
                        .take(SUCCESSOR_LOOKED_AT)
                        .find(|&y| self.path[y].slot as usize == t);
                    match after.map(|y| &self.events[y]) {
                        Some(Event::Input(next)) if next.prev == NONE && next.next == NONE => {}
                        _ => return true,
                    }
                }
            }
            x = match &self.events[x as usize] {
                Event::Input(earlier) => earlier.prev,
                _ => NONE,
            };
        }
        false
    }

    /// The key of the state after line `m` goes to `slot`.
    fn child_key(&self, m: usize, slot: u32) -> (u64, u32) {
        let st = &self.state;
        if st.slots.len() == 2 {
            // Two blocks: the pairing of their lines is part of the state.
            let mut next = st.clone();
            self.apply(&mut next, m, slot);
            return (state_key(&next), next.repeats);
        }
        let mut items: Vec<(u64, bool, u32)> = Vec::with_capacity(st.slots.len() + 1);
        let mut repeats = st.repeats;
        match &self.events[m] {
            Event::Open => {
                // Summed blocks retire; a new empty one joins.
                items.extend(
                    st.slots
                        .iter()
                        .filter(|s| !s.retired && !s.summed)
                        .map(|s| (s.fp, false, 0)),
                );
                items.push((0, false, 0));
            }
            Event::Input(w) => {
                if self.is_repeat(w, slot, st.slots.len()) {
                    repeats += 1;
                }
                let payload = &self.arena[w.at as usize..(w.at + w.len) as usize];
                for (i, s) in st.slots.iter().enumerate().filter(|(_, s)| !s.retired) {
                    let fp = if i == slot as usize {
                        chain_fingerprint(s.fp, payload)
                    } else {
                        s.fp
                    };
                    items.push((fp, s.summed, 0));
                }
            }
            Event::Result { .. } => {
                for (i, s) in st.slots.iter().enumerate().filter(|(_, s)| !s.retired) {
                    items.push((s.fp, s.summed || i == slot as usize, 0));
                }
            }
        }
        (key_of(&mut items), repeats)
    }

    /// In a group of two blocks, pairs `w`, going to slot `s`, with a copy of its payload in
    /// the other block, the first past the lines the two already pair: a package and its test
    /// variant write their common lines in the same order. True when the other block holds the
    /// payload only before that point (the order breaks, or it writes the payload again later).
    fn pair_with_holders(&self, state: &mut State, w: &Line<'a>, s: usize) -> bool {
        if state.slots.len() != 2
            || self.count.get(&w.fp).copied().unwrap_or(0) > 2
            || state.slots[1 - s].retired
        {
            // More blocks, or a block writes it twice (a test variant's import that its
            // package has too): which copies pair is not known.
            return false;
        }
        let t = 1 - s;
        let past = state.slots[s].pair_past;
        let mut held = false;
        let mut first_after: Option<u32> = None;
        let mut consider = |n: u32| {
            held = true;
            if n >= past {
                first_after = Some(first_after.map_or(n, |f: u32| f.min(n)));
            }
        };
        if let Some(&(nth, _)) = self.seeded.get(t).and_then(|m| m.get(&w.fp)) {
            consider(nth);
        }
        let mut x = w.prev;
        let mut looked = 0;
        while x != NONE && looked < HOLDERS_LOOKED_AT {
            if let Some(placed) = self.path.get(x as usize)
                && placed.slot as usize == t
            {
                consider(placed.nth);
            }
            looked += 1;
            x = match &self.events[x as usize] {
                Event::Input(earlier) => earlier.prev,
                _ => NONE,
            };
        }
        match first_after {
            Some(n) => {
                let position = state.slots[s].writes;
                state.slots[s].pair_past = n + 1;
                let back = &mut state.slots[t].pair_past;
                *back = (*back).max(position + 1);
                false
            }
            None => held,
        }
    }

    /// Whether `slot` already holds `w`'s payload while the group has no more copies of it than
    /// blocks: a block that writes a field twice, which Go rarely does.
    fn is_repeat(&self, w: &Line<'a>, slot: u32, slots: usize) -> bool {
        if self.relaxed {
            return false;
        }
        let copies = self.count.get(&w.fp).copied().unwrap_or(0) as usize;
        copies <= slots && self.holds(w, slot)
    }

    /// Whether `slot` holds `w`'s payload already (among the last copies looked at).
    fn holds(&self, w: &Line<'a>, slot: u32) -> bool {
        if self
            .seeded
            .get(slot as usize)
            .is_some_and(|m| m.contains_key(&w.fp))
        {
            return true;
        }
        let mut x = w.prev;
        let mut looked = 0;
        while x != NONE && looked < HOLDERS_LOOKED_AT {
            if self.path[x as usize].slot == slot {
                return true;
            }
            looked += 1;
            x = match &self.events[x as usize] {
                Event::Input(earlier) => earlier.prev,
                _ => NONE,
            };
        }
        false
    }

    /// Whether a search already failed from this state with as many repeats left.
    fn known_failed(&self, m: usize, key: (u64, u32)) -> bool {
        let left = self.allowance.saturating_sub(key.1);
        self.failed
            .get(&(m as u32, key.0))
            .is_some_and(|&failed_with| failed_with >= left)
    }
}

/// The state up to which block holds what: the sorted contents and sums of the blocks that can
/// still take lines.
fn state_key(state: &State) -> u64 {
    let mut items: Vec<(u64, bool, u32)> = state
        .slots
        .iter()
        .filter(|s| !s.retired)
        .map(|s| (s.fp, s.summed, s.pair_past))
        .collect();
    key_of(&mut items)
}

fn key_of(items: &mut [(u64, bool, u32)]) -> u64 {
    items.sort_unstable();
    let mut h = FxHasher::default();
    for &(fp, summed, pair_past) in items.iter() {
        h.write_u64(fp);
        h.write_u8(u8::from(summed));
        h.write_u32(pair_past);
    }
    h.finish()
}

/// The fingerprint of a block's content after one more write.
fn chain_fingerprint(fp: u64, payload: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(fp);
    h.write(payload);
    h.finish() | 1
}

/// A fingerprint of one write's payload.
fn payload_fingerprint(payload: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(payload);
    h.finish()
}
