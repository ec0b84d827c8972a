//! The order in which `cmd/go` writes a block's fields, from the field tables: the
//! demultiplexer uses it to prune assignments of same-name blocks' lines that would put a field
//! before one Go always writes earlier, or skip one Go always writes.

use crate::model::fields::{self, Finder, Order};

/// The field order of one block kind. Only compile, link and vet keys are checked: their
/// fields come in a fixed order with few optional ones.
#[derive(Clone, Copy)]
pub struct FieldOrder(Option<Finder>);

impl FieldOrder {
    /// The order of the block named `name` (`build p`, `link p`, `vet p`; others unordered).
    pub fn for_name(name: &[u8]) -> Self {
        let table = if name.starts_with(b"build ") {
            fields::COMPILE
        } else if name.starts_with(b"link ") {
            fields::LINK
        } else if name.starts_with(b"vet ") {
            fields::VET
        } else {
            return FieldOrder(None);
        };
        FieldOrder(Some(Finder::new(table)))
    }

    /// The rank of a write (higher comes later); `None` when unknown (no constraint). A rank is
    /// odd for a field that may repeat.
    pub fn rank(self, payload: &[u8]) -> Option<u16> {
        let finder = self.0?;
        let line = payload.strip_suffix(b"\n").unwrap_or(payload);
        rank_of(finder.table()[finder.find(line)?].order)
    }

    /// Whether a block that has `writes` writes so far, the last of rank `last`, may take this
    /// write. The first write of a block is always the salt (no newline); ranks must not go
    /// back, and odd ranks (repeatable fields) may repeat.
    pub fn allows(self, writes: u32, last: u16, payload: &[u8], rank: Option<u16>) -> bool {
        if self.0.is_none() {
            return true;
        }
        // Every block starts with the salt, `runtime.Version()`, which has no newline; every
        // later write of these kinds is a whole line.
        if (writes == 0) == payload.ends_with(b"\n") {
            return false;
        }
        match rank {
            None => true,
            Some(r) => {
                (r > last || (r == last && r % 2 == 1))
                    && self.next_required(last).is_none_or(|req| r <= req)
            }
        }
    }

    /// The first field after `rank` that `cmd/go` always writes for this kind: a block cannot
    /// skip it (a package always has its compile tool line and at least one file before its
    /// imports), which keeps a block that just opened from taking another's late lines.
    pub fn next_required(self, rank: u16) -> Option<u16> {
        self.0?
            .table()
            .iter()
            .filter(|f| f.required)
            .filter_map(|f| rank_of(f.order))
            .filter(|&r| r > rank)
            .min()
    }
}

/// A table position as a rank: twice the position, plus one for a field that may repeat.
fn rank_of(order: Order) -> Option<u16> {
    match order {
        Order::Any => None,
        Order::Once(at) => Some(2 * at),
        Order::Repeated(at) => Some(2 * at + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_fields_rank_in_go_order() {
        let order = FieldOrder::for_name(b"build p");
        let ranks: Vec<Option<u16>> = [
            &b"compile\n"[..],
            b"dir /x\n",
            b"goos linux goarch amd64\n",
            b"import \"p\"\n",
            b"compile compile version go1.27.3 [] []\n",
            b"GOAMD64=v1\n",
            b"GOEXPERIMENT=\"x\"\n",
            b"file a.go ID\n",
            b"import fmt CID\n",
            b"pgofile ID\n",
        ]
        .iter()
        .map(|p| order.rank(p))
        .collect();
        let known: Vec<u16> = ranks.iter().map(|r| r.expect("ranked")).collect();
        assert!(known.windows(2).all(|w| w[0] <= w[1]), "{known:?}");
        // Imports and the profile share a position and repeat.
        assert_eq!(known[8], known[9]);
        assert_eq!(known[8] % 2, 1);
        assert_eq!(order.rank(b"newfield 1\n"), None);
        assert_eq!(FieldOrder::for_name(b"testmain").rank(b"compile\n"), None);
    }

    #[test]
    fn a_block_cannot_skip_a_required_field() {
        let order = FieldOrder::for_name(b"build p");
        let compile_tool = order.rank(b"compile compile version go1.27.3 [] []\n");
        let import = order.rank(b"import fmt CID\n");
        // After the compile tool line, a dependency cannot come before any file.
        assert!(!order.allows(6, compile_tool.unwrap(), b"import fmt CID\n", import));
        let file = order.rank(b"file a.go ID\n");
        assert!(order.allows(6, compile_tool.unwrap(), b"file a.go ID\n", file));
        // The salt first, then whole lines.
        assert!(!order.allows(0, 0, b"compile\n", order.rank(b"compile\n")));
        assert!(order.allows(1, 0, b"compile\n", order.rank(b"compile\n")));
    }
}
