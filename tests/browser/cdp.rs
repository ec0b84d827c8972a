//! A small client of the Chrome DevTools Protocol over `--remote-debugging-pipe` (Chromium reads
//! commands on fd 3 and writes answers and events on fd 4, each a JSON message ended by a NUL
//! byte): enough to open a page, run JavaScript in it, click, hover and type as a user would
//! (`Input.dispatch*Event`, so the browser's own hit testing and focus rules apply), collect
//! console errors, exceptions and network requests, and take screenshots.
//!
//! The browser is Debian's `chromium` (installed by `scripts/install-chromium.sh`), found as
//! `$WHYMISS_CHROMIUM` or `chromium` on PATH. When it is missing the tests fail, never skip.

use std::fs::File;
use std::io::{BufRead as _, BufReader, Write as _};
use std::mem::ManuallyDrop;
use std::os::fd::{AsFd as _, FromRawFd as _, OwnedFd};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// How long one protocol call may take before the test fails (a hung browser).
const CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// The chromium binary: `$WHYMISS_CHROMIUM`, else `chromium` on PATH; a panic naming the
/// install script otherwise.
pub fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("WHYMISS_CHROMIUM").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "chromium is not installed: run scripts/install-chromium.sh (Debian's chromium \
                 package) or set WHYMISS_CHROMIUM; the browser tests never skip"
            )
        })
}

/// A headless Chromium driven over its debugging pipe.
pub struct Browser {
    child: Child,
    commands: File,
    messages: Receiver<Value>,
    next_id: u64,
    /// Events not yet looked at, of every session.
    events: Vec<Value>,
    stderr: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn launch() -> Browser {
        let binary = chromium();
        let profile = tempfile::tempdir().unwrap();
        let stderr = profile.path().join("stderr.txt");
        // Pipes at fds ≥ 10 first, so that moving them to 3 and 4 in the child cannot clobber
        // one with the other.
        let (to_browser, commands) = os_pipe::pipe().unwrap();
        let (answers, from_browser) = os_pipe::pipe().unwrap();
        let high = |fd: &dyn std::os::fd::AsFd| rustix::io::fcntl_dupfd_cloexec(fd, 10).unwrap();
        let (child_in, child_out) = (high(&to_browser), high(&from_browser));
        drop((to_browser, from_browser));
        let mut command = Command::new(&binary);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                "--force-color-profile=srgb",
                "--window-size=1280,900",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&stderr).unwrap());
        // SAFETY: only dup2 (async-signal-safe) between fork and exec.
        unsafe {
            command.pre_exec(move || {
                for (from, to) in [(&child_in, 3), (&child_out, 4)] {
                    let mut target = ManuallyDrop::new(OwnedFd::from_raw_fd(to));
                    rustix::io::dup2(from.as_fd(), &mut target)?;
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        drop(command);
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(answers);
            loop {
                let mut message = Vec::new();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                message.pop_if(|b| *b == 0);
                let Ok(value) = serde_json::from_slice::<Value>(&message) else {
                    continue;
                };
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Browser {
            child,
            commands: File::from(OwnedFd::from(commands)),
            messages,
            next_id: 1,
            events: Vec::new(),
            stderr,
            _profile: profile,
        }
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Sends `method` (to a page's session, or to the browser) and waits for its result.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        if let Err(e) = self.commands.write_all(&bytes) {
            panic!("chromium stopped reading ({e}):\n{}", self.stderr());
        }
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            let m = self.next_message(deadline, method);
            if m["id"] == id {
                if let Some(error) = m.get("error") {
                    panic!("{method} failed: {error}");
                }
                return m["result"].clone();
            }
            if m.get("method").is_some() {
                self.events.push(m);
            }
        }
    }

    fn next_message(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                panic!(
                    "chromium did not answer {waiting_for} in time:\n{}",
                    self.stderr()
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("chromium exited:\n{}", self.stderr())
            }
        }
    }

    /// Waits for an event of `session` named `method`, taking it from the queue.
    fn wait_event(&mut self, session: &str, method: &str) -> Value {
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            if let Some(i) = self
                .events
                .iter()
                .position(|e| e["method"] == method && e["sessionId"] == session)
            {
                return self.events.remove(i);
            }
            let m = self.next_message(deadline, method);
            if m.get("method").is_some() {
                self.events.push(m);
            }
        }
    }

    /// Opens a new tab on `path` (a file) with scripts on or off, and waits for its load.
    pub fn open(&mut self, path: &Path, scripts: bool) -> Page<'_> {
        let url = format!("file://{}", path.display());
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let target = target["targetId"].as_str().unwrap().to_string();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
        );
        let session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page", "Runtime", "Log", "Network"] {
            self.call(Some(&session), &format!("{domain}.enable"), json!({}));
        }
        if !scripts {
            self.call(
                Some(&session),
                "Emulation.setScriptExecutionDisabled",
                json!({ "value": true }),
            );
        }
        self.events.retain(|e| e["sessionId"] != session.as_str());
        self.call(Some(&session), "Page.navigate", json!({ "url": url }));
        self.wait_event(&session, "Page.loadEventFired");
        Page {
            browser: self,
            session,
            target,
            url,
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One tab.
pub struct Page<'b> {
    browser: &'b mut Browser,
    session: String,
    target: String,
    pub url: String,
}

impl Page<'_> {
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.browser.call(Some(&session), method, params)
    }

    /// The value of a JavaScript expression (awaited when it is a promise); a thrown exception
    /// fails the test.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{expression}\nthrew {e}");
        }
        r["result"]["value"].clone()
    }

    /// Waits until `condition` (a JavaScript expression) is true.
    pub fn wait_for(&mut self, condition: &str) -> Duration {
        let started = Instant::now();
        while self.eval(condition) != json!(true) {
            assert!(
                started.elapsed() < CALL_TIMEOUT,
                "waited too long for {condition}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        started.elapsed()
    }

    /// The centre of the element `selector` finds (scrolled into view first), in CSS pixels
    /// of the viewport.
    fn centre(&mut self, selector: &str) -> (f64, f64) {
        let r = self.eval(&format!(
            "(() => {{ const e = document.querySelector({s}); if (!e) return null;
               e.scrollIntoView({{block: 'center', inline: 'center'}});
               const r = e.getBoundingClientRect();
               return [r.left + r.width / 2, r.top + r.height / 2]; }})()",
            s = json!(selector)
        ));
        assert!(!r.is_null(), "no element matches {selector}");
        (r[0].as_f64().unwrap(), r[1].as_f64().unwrap())
    }

    fn mouse(&mut self, kind: &str, (x, y): (f64, f64)) {
        let mut params = json!({ "type": kind, "x": x, "y": y });
        if kind != "mouseMoved" {
            params["button"] = json!("left");
            params["clickCount"] = json!(1);
        }
        self.call("Input.dispatchMouseEvent", params);
    }

    /// Moves the mouse over the element and clicks it, as a user would.
    pub fn click(&mut self, selector: &str) {
        let at = self.centre(selector);
        self.mouse("mouseMoved", at);
        self.mouse("mousePressed", at);
        self.mouse("mouseReleased", at);
    }

    pub fn hover(&mut self, selector: &str) {
        let at = self.centre(selector);
        self.mouse("mouseMoved", at);
    }

    /// Presses and releases a key (`Enter`, `Escape`, `Tab`, `ArrowDown`…).
    pub fn press(&mut self, key: &str) {
        let code = match key {
            "Enter" => 13,
            "Escape" => 27,
            "Tab" => 9,
            "ArrowLeft" => 37,
            "ArrowUp" => 38,
            "ArrowRight" => 39,
            "ArrowDown" => 40,
            other => panic!("no key code for {other}"),
        };
        for kind in ["rawKeyDown", "keyUp"] {
            let mut params = json!({
                "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code,
            });
            if key == "Enter" && kind == "rawKeyDown" {
                // Enter also types a character, which is what activates a button.
                params["type"] = json!("keyDown");
                params["text"] = json!("\r");
            }
            self.call("Input.dispatchKeyEvent", params);
        }
    }

    /// Writes a PNG of the viewport to `path`.
    pub fn screenshot(&mut self, path: &Path) {
        let r = self.call("Page.captureScreenshot", json!({ "format": "png" }));
        let png = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// The page printed to PDF (as the print dialog would, with backgrounds).
    pub fn pdf(&mut self) -> Vec<u8> {
        let r = self.call("Page.printToPDF", json!({ "printBackground": true }));
        base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap()
    }

    /// Console errors and warnings, uncaught exceptions and the browser's error log entries
    /// (a blocked load, a policy violation) of this page so far.
    pub fn problems(&mut self) -> Vec<String> {
        self.eval("0"); // let pending events arrive
        let mut out = Vec::new();
        for e in &self.browser.events {
            if e["sessionId"] != self.session.as_str() {
                continue;
            }
            let p = &e["params"];
            match e["method"].as_str() {
                Some("Runtime.consoleAPICalled")
                    if matches!(p["type"].as_str(), Some("error" | "warning" | "assert")) =>
                {
                    out.push(format!("console.{}: {}", p["type"], p["args"]))
                }
                Some("Runtime.exceptionThrown") => out.push(format!(
                    "exception: {}",
                    p["exceptionDetails"]["exception"]["description"]
                )),
                Some("Log.entryAdded")
                    if matches!(p["entry"]["level"].as_str(), Some("error" | "warning")) =>
                {
                    out.push(format!("log: {}", p["entry"]["text"]))
                }
                _ => {}
            }
        }
        out
    }

    /// The URLs the page requested (the page itself included).
    pub fn requests(&mut self) -> Vec<String> {
        self.eval("0");
        self.browser
            .events
            .iter()
            .filter(|e| e["sessionId"] == self.session.as_str())
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .map(|e| e["params"]["request"]["url"].as_str().unwrap().to_string())
            .collect()
    }
}

impl Drop for Page<'_> {
    fn drop(&mut self) {
        let target = self.target.clone();
        let session = self.session.clone();
        if !std::thread::panicking() {
            self.browser
                .call(None, "Target.closeTarget", json!({ "targetId": target }));
        }
        self.browser
            .events
            .retain(|e| e["sessionId"] != session.as_str());
    }
}
