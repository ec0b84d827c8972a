//! The quoted productions of the field grammar: `Q`, a Go-quoted string (`strconv.Quote`, as
//! `%q` prints a string), and `L`, a `%q`-printed `[]string`.

use std::borrow::Cow;

use nom::IResult;
use nom::Parser;
use nom::bytes::complete::tag;
use nom::multi::separated_list0;
use nom::sequence::delimited;

use super::unquote::{bytes_into_text, unquote_body};
use crate::model::Text;

/// Runs a parser that must consume all of `s`.
pub(super) fn whole<'s, T>(p: fn(&'s str) -> IResult<&'s str, T>, s: &'s str) -> Option<T> {
    match p(s) {
        Ok(("", v)) => Some(v),
        _ => None,
    }
}

/// `Q = '"' chars '"'` — a Go-quoted string, unquoted (borrowed when it has no escapes).
pub(super) fn go_string(i: &str) -> IResult<&str, Text<'_>> {
    let fail = || nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Char));
    let body_and_rest = i.strip_prefix('"').ok_or_else(fail)?;
    let bytes = body_and_rest.as_bytes();
    let mut j = 0;
    let end = loop {
        match memchr::memchr2(b'\\', b'"', &bytes[j..]) {
            None => return Err(fail()),
            Some(off) if bytes[j + off] == b'"' => break j + off,
            Some(off) => j += off + 2,
        }
        if j > bytes.len() {
            return Err(fail());
        }
    };
    let body = &body_and_rest[..end];
    let rest = &body_and_rest[end + 1..];
    let text = match unquote_body(body.as_bytes()).map_err(|_| fail())? {
        Cow::Borrowed(_) => Cow::Borrowed(body),
        Cow::Owned(v) => Cow::Owned(bytes_into_text(v)),
    };
    Ok((rest, text))
}

/// `L = "[" [ Q { " " Q } ] "]"` — a `%q`-printed `[]string`.
pub(super) fn list(i: &str) -> IResult<&str, Vec<Text<'_>>> {
    delimited(tag("["), separated_list0(tag(" "), go_string), tag("]")).parse(i)
}

/// `L { " " L }` — one or more lists separated by spaces.
pub(super) fn lists(i: &str) -> IResult<&str, Vec<Vec<Text<'_>>>> {
    separated_list0(tag(" "), list).parse(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Text<'_> {
        Cow::Borrowed(x)
    }

    #[test]
    fn lists_and_strings() {
        assert_eq!(list("[]"), Ok(("", vec![])));
        assert_eq!(
            list(r#"["a b" "c\"d"] x"#),
            Ok((" x", vec![s("a b"), Cow::Owned("c\"d".into())]))
        );
        assert!(list(r#"["a"#).is_err());
        assert_eq!(
            go_string(r#""a\\" b"#),
            Ok((" b", Cow::Owned("a\\".into())))
        );
    }
}
