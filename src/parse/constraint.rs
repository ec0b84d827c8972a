//! The header of a Go source file: its build constraint and whether it imports "C"
//! (`go/build`, `parseFileHeader` and `(*Context).shouldBuild`; `go/build/constraint`,
//! `Parse`), so the comparison can tell which setting selects a file present on one side only.
//!
//! ```text
//! header     = { blank | comment } ( "package" … )        ; the constraint lines precede it
//! gobuild    = "//go:build" expr
//! plusbuild  = "// +build" { option }                      ; lines AND, options OR
//! option     = term { "," term }                           ; terms AND
//! term       = [ "!" ] tag
//! expr       = and { "||" and }
//! and        = unary { "&&" unary }
//! unary      = "!" unary | "(" expr ")" | tag
//! tag        = ( letter | digit | "_" | "." )+
//! ```

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::multispace0;
use nom::combinator::{all_consuming, map};
use nom::multi::many0;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use crate::model::{Constraint, SourceHeader};

/// Reads the header of a Go source file.
pub fn source_header(src: &str) -> SourceHeader {
    let mut go_build = None;
    let mut plus_build: Vec<Constraint> = Vec::new();
    let mut in_block = false;
    let mut lines = src.lines();
    for line in lines.by_ref() {
        let line = line.trim();
        if in_block {
            in_block = !line.contains("*/");
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("//go:build") {
            go_build = go_build.or_else(|| build_expr(rest));
        } else if let Some(rest) = line.strip_prefix("// +build") {
            plus_build.extend(plus_line(rest));
        } else if line.starts_with("//") {
        } else if line.starts_with("/*") {
            in_block = !line.contains("*/");
        } else {
            break;
        }
    }
    let constraint = go_build.or_else(|| {
        plus_build
            .into_iter()
            .reduce(|x, y| Constraint::And(Box::new(x), Box::new(y)))
    });
    SourceHeader {
        constraint,
        imports_c: imports_c(src),
    }
}

/// `import "C"`, alone or in an import block.
fn imports_c(src: &str) -> bool {
    let mut in_imports = false;
    for line in src.lines() {
        let line = line.trim();
        if in_imports {
            if line.starts_with(')') {
                in_imports = false;
            } else if line == "\"C\"" || line.ends_with(" \"C\"") {
                return true;
            }
        } else if line == "import \"C\"" {
            return true;
        } else if line.starts_with("import (") {
            in_imports = true;
        } else if line.starts_with("func ") || line.starts_with("type ") {
            return false;
        }
    }
    false
}

/// The expression after `//go:build`.
pub fn build_expr(text: &str) -> Option<Constraint> {
    all_consuming(delimited(multispace0, expr, multispace0))
        .parse(text)
        .ok()
        .map(|(_, c)| c)
}

/// `expr = and { "||" and }`
fn expr(i: &str) -> IResult<&str, Constraint> {
    let (i, first) = and(i)?;
    let (i, rest) = many0(preceded(ws(tag("||")), and)).parse(i)?;
    Ok((i, fold(first, rest, Constraint::Or)))
}

/// `and = unary { "&&" unary }`
fn and(i: &str) -> IResult<&str, Constraint> {
    let (i, first) = unary(i)?;
    let (i, rest) = many0(preceded(ws(tag("&&")), unary)).parse(i)?;
    Ok((i, fold(first, rest, Constraint::And)))
}

/// `unary = "!" unary | "(" expr ")" | tag`
fn unary(i: &str) -> IResult<&str, Constraint> {
    ws(alt((
        map(preceded(tag("!"), unary), |c| Constraint::Not(Box::new(c))),
        delimited(tag("("), expr, ws(tag(")"))),
        map(build_tag, |t: &str| Constraint::Tag(t.to_string())),
    )))
    .parse(i)
}

/// `tag = ( letter | digit | "_" | "." )+`
fn build_tag(i: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_alphanumeric() || c == '_' || c == '.')(i)
}

fn ws<'a, O>(
    p: impl Parser<&'a str, Output = O, Error = nom::error::Error<&'a str>>,
) -> impl Parser<&'a str, Output = O, Error = nom::error::Error<&'a str>> {
    preceded(multispace0, p)
}

fn fold(
    first: Constraint,
    rest: Vec<Constraint>,
    join: fn(Box<Constraint>, Box<Constraint>) -> Constraint,
) -> Constraint {
    rest.into_iter()
        .fold(first, |x, y| join(Box::new(x), Box::new(y)))
}

/// `plusbuild`: the options of one `// +build` line, OR-ed (`None` for an empty line).
fn plus_line(text: &str) -> Option<Constraint> {
    text.split_whitespace()
        .filter_map(|option| {
            option
                .split(',')
                .map(|term| match term.strip_prefix('!') {
                    Some(t) => Constraint::Not(Box::new(Constraint::Tag(t.to_string()))),
                    None => Constraint::Tag(term.to_string()),
                })
                .reduce(|x, y| Constraint::And(Box::new(x), Box::new(y)))
        })
        .reduce(|x, y| Constraint::Or(Box::new(x), Box::new(y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(c: &Constraint, tags: &[&str]) -> bool {
        c.eval(&|t| tags.contains(&t))
    }

    #[test]
    fn go_build_expressions() {
        let c = build_expr(" !netgo && ((cgo && unix) || darwin)").unwrap();
        assert!(holds(&c, &["cgo", "unix"]));
        assert!(holds(&c, &["darwin"]));
        assert!(!holds(&c, &["netgo", "darwin"]));
        assert!(!holds(&c, &["unix"]));
        assert_eq!(c.tags(), vec!["netgo", "cgo", "unix", "darwin"]);
        assert!(build_expr("a &&").is_none());
        assert!(build_expr("").is_none());
        let c = build_expr("goexperiment.fieldtrack || amd64.v3").unwrap();
        assert!(holds(&c, &["amd64.v3"]));
    }

    #[test]
    fn plus_build_lines() {
        let h = source_header("// +build linux,cgo darwin\n// +build !purego\n\npackage x\n");
        let c = h.constraint.unwrap();
        assert!(holds(&c, &["linux", "cgo"]));
        assert!(holds(&c, &["darwin"]));
        assert!(!holds(&c, &["darwin", "purego"]));
        assert!(!holds(&c, &["linux"]));
    }

    #[test]
    fn the_header_ends_at_the_package_clause() {
        let h = source_header(
            "// Copyright\n\n/* block\n//go:build ignored */\n//go:build fancy\n\npackage x\n\n//go:build late\n",
        );
        assert_eq!(h.constraint, Some(Constraint::Tag("fancy".into())));
        assert!(!h.imports_c);
        let h = source_header("package x\n\n// #include <stdio.h>\nimport \"C\"\n");
        assert_eq!(h.constraint, None);
        assert!(h.imports_c);
        let h = source_header("package x\n\nimport (\n\t\"fmt\"\n\t\"C\"\n)\n");
        assert!(h.imports_c);
    }
}
