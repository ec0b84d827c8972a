//! Token-level comparison of long values (flag lists, modinfo settings, GODEBUG lists), so a
//! report shows the one flag that differs instead of two 400-character strings.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::comparison::{Token, TokenSide};

/// Compares two token lists; `None` stands for an absent value (every token of the other side).
pub(super) fn list_tokens(a: Option<&[String]>, b: Option<&[String]>) -> Vec<Token> {
    let (a, b) = (a.unwrap_or(&[]), b.unwrap_or(&[]));
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, a, b) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                for t in &a[old_index..old_index + len] {
                    out.push(token(TokenSide::Equal, t));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for t in &a[old_index..old_index + old_len] {
                    out.push(token(TokenSide::A, t));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for t in &b[new_index..new_index + new_len] {
                    out.push(token(TokenSide::B, t));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for t in &a[old_index..old_index + old_len] {
                    out.push(token(TokenSide::A, t));
                }
                for t in &b[new_index..new_index + new_len] {
                    out.push(token(TokenSide::B, t));
                }
            }
        }
    }
    out
}

/// Splits two strings on `sep` and compares the pieces (an absent value has none).
pub(super) fn tokens_of(a: Option<&str>, b: Option<&str>, sep: char) -> Vec<Token> {
    let split = |s: Option<&str>| -> Vec<String> {
        s.map(|s| {
            s.split(sep)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
    };
    if a.is_none() && b.is_none() {
        return Vec::new();
    }
    // An absent value is an empty list: `-ldflags` absent on one side and `-s` on the other
    // is the token `-s` added, as in the linker's own flag list.
    list_tokens(Some(&split(a)), Some(&split(b)))
}

fn token(side: TokenSide, text: &str) -> Token {
    Token {
        side,
        text: text.to_string(),
    }
}

/// Only the tokens that differ, with up to `context` equal tokens around each change elided
/// into `…`; for compact display of long lists.
pub fn changed_with_context(tokens: &[Token], context: usize) -> Vec<Option<&Token>> {
    let keep: Vec<bool> = (0..tokens.len())
        .map(|i| {
            let lo = i.saturating_sub(context);
            let hi = (i + context + 1).min(tokens.len());
            tokens[lo..hi].iter().any(|t| t.side != TokenSide::Equal)
        })
        .collect();
    let mut out = Vec::new();
    let mut elided = false;
    for (t, k) in tokens.iter().zip(keep) {
        if k {
            out.push(Some(t));
            elided = false;
        } else if !elided {
            out.push(None);
            elided = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn one_flag_changed() {
        let t = list_tokens(Some(&v("-O2 -g -I/a")), Some(&v("-O2 -g -I/b")));
        let sides: Vec<_> = t.iter().map(|t| (t.side, t.text.as_str())).collect();
        assert_eq!(
            sides,
            vec![
                (TokenSide::Equal, "-O2"),
                (TokenSide::Equal, "-g"),
                (TokenSide::A, "-I/a"),
                (TokenSide::B, "-I/b")
            ]
        );
    }

    #[test]
    fn comma_lists() {
        let t = tokens_of(Some("a=1,b=0,c=1"), Some("a=1,c=1"), ',');
        assert_eq!(t.iter().filter(|t| t.side == TokenSide::A).count(), 1);
        assert_eq!(tokens_of(Some("x"), None, ',').len(), 1);
        assert!(tokens_of(None, None, ',').is_empty());
    }

    #[test]
    fn context_elides_long_equal_runs() {
        let a = v("1 2 3 4 5 6 7 8");
        let b = v("1 2 3 4 5 6 7 9");
        let t = list_tokens(Some(&a), Some(&b));
        let shown = changed_with_context(&t, 1);
        assert!(shown[0].is_none());
        assert_eq!(shown.len(), 4);
    }
}
