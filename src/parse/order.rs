//! The order in which `cmd/go` writes a block's fields, from the field tables: the
//! demultiplexer's same-name search (`demux/search.rs`) uses each write's rank to keep a
//! block's fields in Go's order and to prefer the block whose last field comes right before a
//! line.

use crate::model::fields::{self, Finder, Order};

/// The field order of one block kind. Only compile, link and vet keys are checked: their
/// fields come in a fixed order with few optional ones.
#[derive(Clone, Copy)]
pub(super) struct FieldOrder(Option<Finder>);

impl FieldOrder {
    /// The order of the block named `name` (`build p`, `link p`, `vet p`; others unordered).
    pub(super) fn for_name(name: &[u8]) -> Self {
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
    pub(super) fn rank(self, payload: &[u8]) -> Option<u16> {
        let finder = self.0?;
        let line = payload.strip_suffix(b"\n").unwrap_or(payload);
        rank_of(finder.table()[finder.find(line)?].order)
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
}
