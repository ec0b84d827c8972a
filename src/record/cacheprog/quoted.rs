//! How the go command splits `GOCACHEPROG` into a program and its arguments: cmd/internal/quoted
//! (`Split`, `Join`), called from cmd/go/internal/cache/prog.go, `startCacheProg`. Fields are
//! separated by spaces, tabs, CR or LF; a field may be wrapped in single or double quotes, with
//! no escapes inside.

/// An argument [`join`] cannot write so that [`split`] gives it back.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QuoteError {
    #[error("unterminated {0} string")]
    Unterminated(char),
    #[error("argument {0:?} contains both single and double quotes and cannot be quoted")]
    BothQuotes(String),
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// quoted.Split.
pub fn split(s: &str) -> Result<Vec<String>, QuoteError> {
    let b = s.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        if b[i] == b'"' || b[i] == b'\'' {
            let quote = b[i];
            let start = i + 1;
            let Some(len) = b[start..].iter().position(|&c| c == quote) else {
                return Err(QuoteError::Unterminated(quote as char));
            };
            fields.push(s[start..start + len].to_string());
            i = start + len + 1;
            continue;
        }
        let start = i;
        while i < b.len() && !is_space(b[i]) {
            i += 1;
        }
        fields.push(s[start..i].to_string());
    }
    Ok(fields)
}

/// quoted.Join, except that an empty argument is written as `''` (Go's Join drops it).
pub fn join<S: AsRef<str>>(args: &[S]) -> Result<String, QuoteError> {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        let arg = arg.as_ref();
        if i > 0 {
            out.push(' ');
        }
        let space = arg.bytes().any(is_space);
        let single = arg.contains('\'');
        let double = arg.contains('"');
        if !arg.is_empty() && !space && !single && !double {
            out.push_str(arg);
        } else if !single {
            out.push('\'');
            out.push_str(arg);
            out.push('\'');
        } else if !double {
            out.push('"');
            out.push_str(arg);
            out.push('"');
        } else {
            return Err(QuoteError::BothQuotes(arg.to_string()));
        }
    }
    Ok(out)
}
