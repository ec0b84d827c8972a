//! Lining up the fields of two matched actions by key, the way the comparison sees them: the
//! same field of the same action has the same key in both logs (`dir`, `file greet.go`,
//! `import fmt`), so a change of order alone lines up, and a repeated key pairs its n-th
//! occurrences.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::model::{Action, Field};

/// One row of two lined-up actions: the field of each side with the row's key (absent on a
/// side that does not have it).
pub type Row<'x, 'a> = (Option<&'x Field<'a>>, Option<&'x Field<'a>>);

/// The fields of `a` and `b` lined up by key, in key order: A's keys in the order A wrote
/// them, then the keys only B has in B's order.
pub fn line_up<'x, 'a>(a: &'x Action<'a>, b: &'x Action<'a>) -> Vec<Row<'x, 'a>> {
    let (amap, aorder) = index(a);
    let (bmap, border) = index(b);
    let empty = Vec::new();
    let mut keys = aorder;
    keys.extend(border.into_iter().filter(|k| !amap.contains_key(k)));
    let mut rows = Vec::with_capacity(a.fields.len().max(b.fields.len()));
    for key in keys {
        let ai = amap.get(&key).unwrap_or(&empty);
        let bi = bmap.get(&key).unwrap_or(&empty);
        for n in 0..ai.len().max(bi.len()) {
            rows.push((
                ai.get(n).map(|&i| &a.fields[i]),
                bi.get(n).map(|&i| &b.fields[i]),
            ));
        }
    }
    rows
}

/// Each key's fields, and the keys in order of first appearance. Keys borrow the field's name
/// when they are only that.
type Index<'x> = (FxHashMap<Cow<'x, str>, Vec<usize>>, Vec<Cow<'x, str>>);

fn index<'x>(act: &'x Action<'_>) -> Index<'x> {
    let mut map: FxHashMap<Cow<'x, str>, Vec<usize>> = FxHashMap::default();
    let mut order = Vec::new();
    for (i, f) in act.fields.iter().enumerate() {
        let key = f.key();
        let slot = map.entry(key.clone()).or_default();
        if slot.is_empty() {
            order.push(key);
        }
        slot.push(i);
    }
    (map, order)
}
