//! The parent's side: starts a plugin's child, hands it the bytes that
//! were hashed and trusted, and makes calls with a time limit. A child that
//! dies or hangs is killed and forgotten; the next call starts another.

use super::wire::{self, MANIFEST, PLUGIN, READY, REFUSED, SCORE, WireRefusal};
use super::{Limits, PRIVATE_DIR_ENV, WorkerCommand};
use crate::library::CallFailure;
use crate::refusal::{Refusal, one_line};
use std::io::Read;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Largest manifest accepted, so a broken plugin cannot make the host copy
/// gigabytes.
const MAX_MANIFEST_BYTES: usize = 8 << 20;
/// Largest score answer accepted.
const MAX_SCORE_BYTES: usize = 64 << 10;
/// How much of what the plugin printed on stderr is kept for a crash report.
const LAST_WORDS: usize = 2048;

/// One plugin's child process, started again when it died.
pub(crate) struct Worker {
    command: WorkerCommand,
    bytes: Arc<[u8]>,
    limits: Limits,
    has_score: bool,
    sandbox: String,
    // One call at a time: the ABI promises plugin authors that.
    running: Mutex<Option<Running>>,
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<std::io::Result<(u8, Vec<u8>)>>,
    last_words: Arc<Mutex<String>>,
    stderr: Option<JoinHandle<()>>,
    // The child's private folder: removed when the child is gone.
    _dir: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Worker {
    /// Starts the plugin's child and waits until the library is open in it.
    pub(crate) fn start(
        command: &WorkerCommand,
        bytes: Arc<[u8]>,
        limits: Limits,
    ) -> Result<Worker, Refusal> {
        Worker::launch(command, bytes, limits)?.ready()
    }

    /// Starts the plugin's child without waiting for it: many children are
    /// launched first and then waited for with [`Launched::ready`], so they
    /// start side by side, each within its own time limit.
    pub(crate) fn launch(
        command: &WorkerCommand,
        bytes: Arc<[u8]>,
        limits: Limits,
    ) -> Result<Launched, Refusal> {
        let started = Instant::now();
        let running = launch(command, &bytes)?;
        Ok(Launched {
            command: command.clone(),
            bytes,
            limits,
            running,
            started,
        })
    }

    /// Whether the plugin's table has a score function.
    pub(crate) fn has_score(&self) -> bool {
        self.has_score
    }

    /// How the child is confined, in one line.
    pub(crate) fn sandbox(&self) -> &str {
        &self.sandbox
    }

    /// The manifest bytes, as the plugin wrote them.
    pub(crate) fn manifest_bytes(&self) -> Result<Vec<u8>, CallFailure> {
        self.call(MANIFEST, &[], MAX_MANIFEST_BYTES)
    }

    /// Asks the child for the manifest without waiting for the answer,
    /// which [`Worker::manifest_answer`] then takes: many children are asked
    /// first and answer side by side.
    pub(crate) fn ask_manifest(&self) -> Result<Asked, CallFailure> {
        self.ask(MANIFEST, &[])
    }

    /// The answer to [`Worker::ask_manifest`], within the call's time limit
    /// counted from the moment it was asked.
    pub(crate) fn manifest_answer(&self, asked: Asked) -> Result<Vec<u8>, CallFailure> {
        self.answer(asked, MAX_MANIFEST_BYTES)
    }

    /// The raw answer of the score function to a request.
    pub(crate) fn score_bytes(&self, request: &[u8]) -> Result<Vec<u8>, CallFailure> {
        if !self.has_score {
            return Err(CallFailure::Failed(
                "the plugin has no score function".into(),
            ));
        }
        self.call(SCORE, request, MAX_SCORE_BYTES)
    }

    fn call(&self, tag: u8, payload: &[u8], max: usize) -> Result<Vec<u8>, CallFailure> {
        // Asked and answered under one lock: one call at a time.
        let mut slot = self.slot();
        let asked = self.ask_in(&mut slot, tag, payload)?;
        self.answer_in(&mut slot, asked, max)
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Running>> {
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn ask(&self, tag: u8, payload: &[u8]) -> Result<Asked, CallFailure> {
        self.ask_in(&mut self.slot(), tag, payload)
    }

    fn answer(&self, asked: Asked, max: usize) -> Result<Vec<u8>, CallFailure> {
        self.answer_in(&mut self.slot(), asked, max)
    }

    /// Writes one request, starting a child first if none is running.
    fn ask_in(
        &self,
        slot: &mut Option<Running>,
        tag: u8,
        payload: &[u8],
    ) -> Result<Asked, CallFailure> {
        if slot.is_none() {
            let (running, _, _) = spawn(&self.command, &self.bytes, self.limits.start)
                .map_err(|refusal| CallFailure::Unavailable(refusal.to_string()))?;
            *slot = Some(running);
        }
        let Some(running) = slot.as_mut() else {
            return Err(CallFailure::Unavailable("no process".into()));
        };
        let deadline = Instant::now() + self.limits.call;
        if wire::write_frame(&mut running.stdin, tag, payload).is_err() {
            let death = running.death();
            // This child is done: dropping it kills it.
            *slot = None;
            return Err(CallFailure::Crashed(death));
        }
        Ok(Asked { deadline })
    }

    /// Reads the answer to the request `asked`, until its deadline.
    fn answer_in(
        &self,
        slot: &mut Option<Running>,
        asked: Asked,
        max: usize,
    ) -> Result<Vec<u8>, CallFailure> {
        let Some(running) = slot.as_mut() else {
            return Err(CallFailure::Unavailable("no process".into()));
        };
        let wait = asked.deadline.saturating_duration_since(Instant::now());
        let outcome = match running.replies.recv_timeout(wait) {
            Ok(Ok((tag, payload))) if payload.len() > max => Err(CallFailure::Garbage(format!(
                "{} bytes (tag {tag}), more than the {max} accepted",
                payload.len()
            ))),
            Ok(Ok((tag, payload))) => return wire::read_answer(tag, payload),
            Ok(Err(error)) => Err(CallFailure::Garbage(one_line(&error.to_string(), 200))),
            Err(RecvTimeoutError::Timeout) => Err(CallFailure::TimedOut(self.limits.call)),
            Err(RecvTimeoutError::Disconnected) => Err(CallFailure::Crashed(running.death())),
        };
        // Whatever went wrong, this child is done: dropping it kills it.
        *slot = None;
        outcome
    }
}

/// A request written to a child, and when its answer is due.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asked {
    deadline: Instant,
}

/// A child started and sent its plugin, not yet known to be ready.
pub(crate) struct Launched {
    command: WorkerCommand,
    bytes: Arc<[u8]>,
    limits: Limits,
    running: Running,
    started: Instant,
}

impl Launched {
    /// Waits until the library is open in the child, within the start's
    /// time limit counted from the launch.
    pub(crate) fn ready(self) -> Result<Worker, Refusal> {
        let wait = (self.started + self.limits.start).saturating_duration_since(Instant::now());
        let (running, has_score, sandbox) = await_ready(self.running, wait, self.limits.start)?;
        Ok(Worker {
            command: self.command,
            bytes: self.bytes,
            limits: self.limits,
            has_score,
            sandbox,
            running: Mutex::new(Some(running)),
        })
    }
}

/// Starts a child, sends it the plugin and waits for READY or REFUSED.
fn spawn(
    command: &WorkerCommand,
    bytes: &Arc<[u8]>,
    limit: Duration,
) -> Result<(Running, bool, String), Refusal> {
    await_ready(launch(command, bytes)?, limit, limit)
}

/// Starts a child and sends it the plugin, without waiting for an answer.
fn launch(command: &WorkerCommand, bytes: &Arc<[u8]>) -> Result<Running, Refusal> {
    let dir = tempfile::Builder::new()
        .prefix("anfang-plugin-run-")
        .tempdir()
        .map_err(|e| Refusal::Worker(format!("cannot make its private folder: {e}")))?;
    let mut process = Command::new(&command.program);
    process
        .args(&command.args)
        // Nothing of the user's environment: no tokens, proxies, paths.
        .env_clear()
        .env(PRIVATE_DIR_ENV, dir.path())
        .env("TMPDIR", dir.path())
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        // Its own process group: a Ctrl-C in the terminal is the app's.
        use std::os::unix::process::CommandExt;
        process.process_group(0);
    }
    let mut child = process
        .spawn()
        .map_err(|e| Refusal::Worker(format!("cannot start {}: {e}", command.program.display())))?;
    let (Some(stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Refusal::Worker("its pipes could not be opened".into()));
    };
    let (sender, replies) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut stdout = std::io::BufReader::new(stdout);
        loop {
            match wire::read_frame(&mut stdout) {
                Ok(Some(frame)) => {
                    if sender.send(Ok(frame)).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    let _ = sender.send(Err(error));
                    break;
                }
            }
        }
    });
    let last_words = Arc::new(Mutex::new(String::new()));
    let stderr = Some(keep_last_words(stderr, Arc::clone(&last_words)));
    let running = Running {
        child,
        stdin,
        replies,
        last_words,
        stderr,
        _dir: dir,
    };
    // The plugin may be large and the child may die before reading it all:
    // write from a thread so a stuck child cannot stall the app.
    {
        let mut pipe = running
            .stdin
            .try_clone_pipe()
            .map_err(|e| Refusal::Worker(format!("its pipe could not be shared: {e}")))?;
        let bytes = Arc::clone(bytes);
        // Detached: it ends when the bytes are written or the child is gone.
        std::thread::spawn(move || wire::write_frame(&mut pipe, PLUGIN, &bytes));
    }
    Ok(running)
}

/// Waits up to `wait` for the child's READY or REFUSED; `limit` is the
/// start's whole time limit, named in the refusal.
fn await_ready(
    mut running: Running,
    wait: Duration,
    limit: Duration,
) -> Result<(Running, bool, String), Refusal> {
    let answer = running.replies.recv_timeout(wait);
    match answer {
        Ok(Ok((READY, payload))) => {
            let has_score = payload.first() == Some(&1);
            let sandbox =
                String::from_utf8_lossy(payload.get(1..).unwrap_or_default()).into_owned();
            Ok((running, has_score, sandbox))
        }
        Ok(Ok((REFUSED, payload))) => Err(serde_json::from_slice::<WireRefusal>(&payload)
            .map(WireRefusal::into_refusal)
            .unwrap_or_else(|e| Refusal::Worker(format!("its refusal is unreadable: {e}")))),
        Ok(Ok((other, _))) => Err(Refusal::Worker(format!(
            "it answered frame {other} instead of READY"
        ))),
        Ok(Err(error)) => Err(Refusal::Worker(one_line(&error.to_string(), 200))),
        Err(RecvTimeoutError::Timeout) => Err(Refusal::Worker(format!(
            "opening the library took more than {} s (stopped)",
            limit.as_secs_f64()
        ))),
        Err(RecvTimeoutError::Disconnected) => Err(Refusal::Worker(format!(
            "it ended while opening the library: {}",
            running.death()
        ))),
    }
}

impl Running {
    /// How the child ended (it closed its pipe): its exit status and the
    /// last line it printed on stderr. Kills it if it lingers.
    fn death(&mut self) -> String {
        let started = Instant::now();
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if started.elapsed() < Duration::from_secs(2) => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => {
                    let _ = self.child.kill();
                    break self.child.wait().ok();
                }
            }
        };
        // The stderr pipe closes with the child; wait briefly for its end.
        if let Some(handle) = self.stderr.take() {
            let started = Instant::now();
            while !handle.is_finished() && started.elapsed() < Duration::from_millis(300) {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        let words = self
            .last_words
            .lock()
            .map(|w| w.clone())
            .unwrap_or_default();
        let last = words
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| format!(" (last words: {})", one_line(l, 160)))
            .unwrap_or_default();
        let how = status.map_or_else(|| "it vanished".to_owned(), describe_exit);
        format!("{how}{last}")
    }
}

/// Reads the child's stderr to its end, keeping the last bytes only.
fn keep_last_words(
    mut stderr: impl Read + Send + 'static,
    words: Arc<Mutex<String>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if let Ok(mut words) = words.lock() {
                words.push_str(&String::from_utf8_lossy(&buffer[..n]));
                if words.len() > LAST_WORDS {
                    let mut cut = words.len() - LAST_WORDS;
                    while !words.is_char_boundary(cut) {
                        cut += 1;
                    }
                    words.drain(..cut);
                }
            }
        }
    })
}

/// "killed by signal 11 (SIGSEGV)", or the exit status.
pub(crate) fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                4 => " (SIGILL)",
                6 => " (SIGABRT)",
                7 => " (SIGBUS)",
                8 => " (SIGFPE)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                31 => " (SIGSYS)",
                _ => "",
            };
            return format!("killed by signal {signal}{name}");
        }
    }
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => "ended".to_owned(),
    }
}

/// A second handle on the child's stdin for the writer thread.
trait ClonePipe {
    fn try_clone_pipe(&self) -> std::io::Result<std::fs::File>;
}

impl ClonePipe for ChildStdin {
    #[cfg(unix)]
    fn try_clone_pipe(&self) -> std::io::Result<std::fs::File> {
        use std::os::fd::AsFd;
        Ok(std::fs::File::from(self.as_fd().try_clone_to_owned()?))
    }
    #[cfg(windows)]
    fn try_clone_pipe(&self) -> std::io::Result<std::fs::File> {
        use std::os::windows::io::AsHandle;
        Ok(std::fs::File::from(self.as_handle().try_clone_to_owned()?))
    }
}
