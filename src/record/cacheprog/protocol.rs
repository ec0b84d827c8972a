//! The messages of the GOCACHEPROG protocol, as cmd/go/internal/cacheprog/cacheprog.go (Go
//! 1.24+) defines them (`Request`, `Response`, `Cmd`); Go 1.21–1.23 had the same shapes in
//! cmd/go/internal/cache/prog.go (`ProgRequest`, `ProgResponse`) with `ObjectID` where 1.24
//! says `OutputID`.
//!
//! Wire format (cmd/go/internal/cache/prog.go, `(*ProgCache).writeToChild` and `readLoop`):
//! go writes each request as one line of JSON (`json.Encoder`), and a "put" whose `BodySize` is
//! non-zero is followed by the body as one JSON string of standard base64 and a newline. The
//! program answers with JSON objects in any order and any layout (`json.Decoder`), each
//! carrying the `ID` of its request; the first, unasked, has ID 0 and `KnownCommands`.
//! `[]byte` fields are standard base64 strings. Go's decoder matches field names without
//! regard to case, so [`Request::parse`] and [`Response::parse`] do too.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A request's command (cacheprog.Cmd). The go command sends only commands the program
/// declared in `KnownCommands`; anything else is kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cmd {
    Get,
    Put,
    Close,
    Other(String),
}

impl Cmd {
    pub fn as_str(&self) -> &str {
        match self {
            Cmd::Get => "get",
            Cmd::Put => "put",
            Cmd::Close => "close",
            Cmd::Other(s) => s,
        }
    }

    pub fn from_name(s: &str) -> Cmd {
        match s {
            "get" => Cmd::Get,
            "put" => Cmd::Put,
            "close" => Cmd::Close,
            other => Cmd::Other(other.to_string()),
        }
    }
}

impl Serialize for Cmd {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Cmd {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cmd, D::Error> {
        Ok(Cmd::from_name(&String::deserialize(d)?))
    }
}

/// A message from the go command (cacheprog.Request).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Request {
    #[serde(rename = "ID")]
    pub id: i64,
    #[serde(rename = "Command")]
    pub command: Option<Cmd>,
    /// The cache key of "get" and "put": the SHA-256 that gocachehash prints for the action
    /// (or a subkey of it).
    #[serde(
        rename = "ActionID",
        with = "b64",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub action_id: Option<Vec<u8>>,
    /// A "put"'s SHA-256 of the body (Go 1.24+).
    #[serde(
        rename = "OutputID",
        with = "b64",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub output_id: Option<Vec<u8>>,
    /// The same, as Go 1.21–1.23 (GOEXPERIMENT=cacheprog) named it.
    #[serde(
        rename = "ObjectID",
        with = "b64",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub object_id: Option<Vec<u8>>,
    /// The size of the body that follows a "put" (0: no body line follows).
    #[serde(rename = "BodySize", skip_serializing_if = "is_zero", default)]
    pub body_size: i64,
}

/// A message from the cache program (cacheprog.Response).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Response {
    #[serde(rename = "ID")]
    pub id: i64,
    #[serde(rename = "Err", skip_serializing_if = "Option::is_none", default)]
    pub err: Option<String>,
    /// Only in the first message (ID 0): the commands the program supports.
    #[serde(
        rename = "KnownCommands",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub known_commands: Option<Vec<Cmd>>,
    #[serde(rename = "Miss", skip_serializing_if = "is_false", default)]
    pub miss: bool,
    #[serde(
        rename = "OutputID",
        with = "b64",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub output_id: Option<Vec<u8>>,
    #[serde(rename = "Size", skip_serializing_if = "is_zero", default)]
    pub size: i64,
    /// RFC 3339, when the entry was stored (optional; go uses it for expiry).
    #[serde(rename = "Time", skip_serializing_if = "Option::is_none", default)]
    pub time: Option<String>,
    /// For a get hit or a put: the absolute path of a local file holding the body, valid until
    /// "close".
    #[serde(rename = "DiskPath", skip_serializing_if = "Option::is_none", default)]
    pub disk_path: Option<String>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A message the proxy could not read. The proxy still forwards it: the go command (or the
/// program) decides what it means.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtocolError {
    #[error("not a JSON object: {0}")]
    NotJson(String),
    #[error("bad field: {0}")]
    Field(String),
}

impl Request {
    /// The fields of Request, as go names them: a received key is matched to one of these
    /// without regard to case (encoding/json's rule).
    const FIELDS: [&'static str; 6] = [
        "ID", "Command", "ActionID", "OutputID", "ObjectID", "BodySize",
    ];

    /// Reads one request object.
    pub fn parse(bytes: &[u8]) -> Result<Request, ProtocolError> {
        serde_json::from_value(canonical(bytes, &Self::FIELDS)?)
            .map_err(|e| ProtocolError::Field(e.to_string()))
    }

    /// The output ID under either name (Go 1.24+ `OutputID`, or the older `ObjectID`).
    pub fn output(&self) -> Option<&[u8]> {
        self.output_id.as_deref().or(self.object_id.as_deref())
    }

    /// Whether a body line follows this request on the wire (`writeToChild`: a put with
    /// `BodySize > 0`).
    pub fn has_body(&self) -> bool {
        self.command == Some(Cmd::Put) && self.body_size > 0
    }
}

impl Response {
    const FIELDS: [&'static str; 8] = [
        "ID",
        "Err",
        "KnownCommands",
        "Miss",
        "OutputID",
        "Size",
        "Time",
        "DiskPath",
    ];

    /// Reads one response object.
    pub fn parse(bytes: &[u8]) -> Result<Response, ProtocolError> {
        serde_json::from_value(canonical(bytes, &Self::FIELDS)?)
            .map_err(|e| ProtocolError::Field(e.to_string()))
    }

    /// The error text, if the program answered with one.
    pub fn error(&self) -> Option<&str> {
        self.err.as_deref().filter(|e| !e.is_empty())
    }
}

/// Parses an object and renames its keys to the canonical field names (case-insensitively);
/// keys go does not know are dropped, as go ignores them. A `null` is the same as absent.
fn canonical(bytes: &[u8], fields: &[&'static str]) -> Result<Value, ProtocolError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| ProtocolError::NotJson(e.to_string()))?;
    let Value::Object(map) = value else {
        return Err(ProtocolError::NotJson(format!("a JSON {}", kind(&value))));
    };
    let mut out = Map::new();
    for (key, v) in map {
        if v.is_null() {
            continue;
        }
        // encoding/json prefers an exact match, then a case-insensitive one.
        if let Some(name) = fields
            .iter()
            .find(|f| **f == key)
            .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(&key)))
        {
            out.insert((*name).to_string(), v);
        }
    }
    Ok(Value::Object(out))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Encodes a body as go writes it after a put: a JSON string of standard base64, then a
/// newline.
pub fn body_line(body: &[u8]) -> Vec<u8> {
    let mut line = Vec::with_capacity(body.len() * 4 / 3 + 8);
    line.push(b'"');
    line.extend_from_slice(STANDARD.encode(body).as_bytes());
    line.extend_from_slice(b"\"\n");
    line
}

/// `[]byte` as go's encoding/json writes it: a standard base64 string.
mod b64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(bytes) => s.serialize_str(&STANDARD.encode(bytes)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        // encoding/base64 skips \r and \n inside the text; so does go's JSON decoder.
        let clean: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        STANDARD
            .decode(clean.as_bytes())
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("bad base64: {e}")))
    }
}
