//! Waiting for a child (the user's command, or the go command under the shim) while passing on
//! the signals meant for it. A terminal's Ctrl-C reaches the whole foreground process group,
//! the child included; whymiss must outlive it to write down what happened, so it does not die
//! of the signal itself but forwards it (SIGTERM from a CI runner reaches only whymiss) and
//! waits.

use std::process::{Child, ExitStatus};

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

/// Waits for `child`, forwarding SIGINT, SIGTERM, SIGHUP and SIGQUIT to it meanwhile.
pub(super) fn wait_forwarding(child: &mut Child) -> std::io::Result<ExitStatus> {
    let pid = child.id() as i32;
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])?;
    let handle = signals.handle();
    let forwarder = std::thread::spawn(move || {
        for signal in signals.forever() {
            if let (Some(pid), Some(signal)) = (
                rustix::process::Pid::from_raw(pid),
                rustix::process::Signal::from_named_raw(signal),
            ) {
                let _ = rustix::process::kill_process(pid, signal);
            }
        }
    });
    let status = child.wait();
    handle.close();
    let _ = forwarder.join();
    status
}

/// The exit status a shell would report: the code, or 128 + the signal that ended it.
pub(super) fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 1,
    }
}
