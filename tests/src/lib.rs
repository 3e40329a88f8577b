//! Shared helpers for the end-to-end tests in `tests/tests/`.

use std::path::PathBuf;

/// The `anfang` binary built by `cargo build --workspace` (or by `cargo test
/// --workspace`, which builds it for the binary's own tests) in the same
/// target folder as this test executable.
pub fn anfang_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/debug/deps/<test> → target/debug/anfang
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(PathBuf::from)
        .unwrap_or_default();
    let bin = dir.join(format!("anfang{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build --workspace` first",
        bin.display()
    );
    bin
}

/// The real binary running in a real pseudo-terminal, its screen parsed by
/// a VT100 emulator so tests read what a person would see.
pub struct Term {
    parser: std::sync::Arc<std::sync::Mutex<vt100::Parser>>,
    writer: Box<dyn std::io::Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Term {
    /// Starts `anfang` with `args` in a `cols`×`rows` terminal.
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> std::io::Result<Term> {
        Term::spawn_with_env(args, &[], cols, rows)
    }

    /// Starts `anfang` with `args` and the environment variables `env` set,
    /// in a `cols`×`rows` terminal.
    pub fn spawn_with_env(
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> std::io::Result<Term> {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        // portable-pty reports errors as anyhow values; carry their text.
        let to_io = |err: String| std::io::Error::other(err);
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| to_io(e.to_string()))?;
        let mut cmd = CommandBuilder::new(anfang_bin());
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| to_io(e.to_string()))?;
        let mut reader = pair
            .master
            .try_clone_reader()
            .map_err(|e| to_io(e.to_string()))?;
        let writer = pair
            .master
            .take_writer()
            .map_err(|e| to_io(e.to_string()))?;
        let size =
            |n: u16| std::num::NonZeroU16::new(n).ok_or_else(|| to_io("zero terminal size".into()));
        let parser = vt100::Parser::new(size(rows)?, size(cols)?, 0);
        let parser = std::sync::Arc::new(std::sync::Mutex::new(parser));
        let feed = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut parser) = feed.lock() {
                    parser.process(&buf[..n]);
                }
            }
        });
        Ok(Term {
            parser,
            writer,
            child,
            _master: pair.master,
        })
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|parser| parser.screen().contents())
            .unwrap_or_default()
    }

    /// The cursor's (row, column) in cells.
    pub fn cursor(&self) -> (u16, u16) {
        self.parser
            .lock()
            .map(|parser| parser.screen().cursor_position())
            .unwrap_or_default()
    }

    /// Waits until the screen contains `text`; panics with the screen after `secs`.
    pub fn wait_for(&self, text: &str, secs: u64) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        while std::time::Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    /// Types text or escape sequences.
    pub fn send(&mut self, bytes: &str) {
        let _ = self.writer.write_all(bytes.as_bytes());
        let _ = self.writer.flush();
        // Give the app a moment to redraw, as a person's typing would.
        std::thread::sleep(std::time::Duration::from_millis(150));
    }

    /// Types text at once, without waiting for a redraw: a fast typist.
    pub fn type_now(&mut self, text: &str) {
        let _ = self.writer.write_all(text.as_bytes());
        let _ = self.writer.flush();
    }

    /// The process id, for sending signals.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Kills the process with SIGKILL, as a crash or power loss would.
    pub fn kill9(&mut self) {
        if let Some(pid) = self.pid() {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
        let _ = self.child.wait();
    }

    /// Waits for the process to exit and returns whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        self.child
            .wait()
            .map(|status| status.success())
            .unwrap_or(false)
    }
}
