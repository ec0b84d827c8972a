//! Logs shaped like gocachehash output, to reach the demultiplexer's same-name group search:
//! blocks with a few names (often the same), payloads from a small vocabulary (so that blocks
//! look alike), interleaved in an arbitrary order, with results that are usually the real
//! SHA-256 of the block's writes so far and sometimes not. `parse_log` must not panic, and a
//! block it calls verified must carry one of the results printed under its name.

#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use whymiss::parse::parse_log;
use whymiss::parse::unquote::quote;

const NAMES: [&str; 6] = [
    "build example.com/p",
    "build example.com/p",
    "link example.com/p",
    "testmain",
    "gccCompilerID",
    "vet example.com/p",
];

const WRITES: [&[u8]; 12] = [
    b"compile\n",
    b"dir /src/p\n",
    b"goos linux goarch amd64\n",
    b"import \"example.com/p\"\n",
    b"forcelibrary\n",
    b"file a.go aaaaaaaaaaaaaaaaaaaa\n",
    b"file a_test.go bbbbbbbbbbbbbbbbbbbb\n",
    b"import fmt cccccccccccccccccccc\n",
    b"link\n",
    b"packagefile fmt=dddddddddddddddddddd\n",
    b"gccCompilerID \"gcc\"",
    b"\x00\x01\"\\\n",
];

struct Block {
    name: String,
    hasher: Sha256,
}

#[derive(Arbitrary, Debug)]
enum Step {
    /// Open a new block with one of the names (or a name from the input).
    Open { name: u8, custom: Option<String> },
    /// Write to one of the open blocks: the salt, a vocabulary line, or raw bytes.
    Write { block: u8, what: u8, raw: Vec<u8> },
    /// Print a result for a block: its real hash, or a made-up one.
    Result {
        block: u8,
        real: bool,
        made_up: [u8; 32],
    },
    /// A line that is not gocachehash output.
    Noise(String),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn render(steps: &[Step]) -> (String, Vec<(String, String)>) {
    let mut blocks: Vec<Block> = Vec::new();
    let mut log = String::new();
    let mut results = Vec::new();
    for step in steps {
        match step {
            Step::Open { name, custom } => {
                let name = match custom {
                    Some(c) if *name > 240 => c.replace(['\n', '\r'], " "),
                    _ => NAMES[*name as usize % NAMES.len()].to_string(),
                };
                log.push_str(&format!("HASH[{name}]\n"));
                blocks.push(Block {
                    name,
                    hasher: Sha256::new(),
                });
            }
            Step::Write { block, what, raw } => {
                let Some(b) = pick(&mut blocks, *block) else {
                    continue;
                };
                let payload: &[u8] = match *what % 16 {
                    0..=11 => WRITES[*what as usize % 12],
                    12 | 13 => b"go1.27.3",
                    _ => raw,
                };
                b.hasher.update(payload);
                log.push_str(&format!("HASH[{}]: {}\n", b.name, quote(payload)));
            }
            Step::Result {
                block,
                real,
                made_up,
            } => {
                let Some(b) = pick(&mut blocks, *block) else {
                    continue;
                };
                let sum = if *real {
                    hex(&b.hasher.clone().finalize())
                } else {
                    hex(made_up)
                };
                log.push_str(&format!("HASH[{}]: {sum}\n", b.name));
                results.push((b.name.clone(), sum));
            }
            Step::Noise(text) => {
                // Not gocachehash output, not even after a prefix: `parse_log` targets the rest.
                log.push_str(&text.replace("HASH", "hash").replace("testcache", "test"));
                log.push('\n');
            }
        }
    }
    (log, results)
}

fn pick(blocks: &mut [Block], i: u8) -> Option<&mut Block> {
    let n = blocks.len();
    (n > 0).then(|| &mut blocks[i as usize % n])
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(steps) = Vec::<Step>::arbitrary(&mut u) else {
        return;
    };
    let (log, results) = render(&steps);
    if let Ok(parsed) = parse_log(log.as_bytes()) {
        for action in parsed.actions.iter().filter(|a| a.is_verified()) {
            let id = action.id.expect("a verified action has an ID").to_string();
            assert!(
                results.iter().any(|(n, s)| *n == action.name && *s == id),
                "verified {} with a result never printed under its name",
                action.name
            );
        }
    }
});
