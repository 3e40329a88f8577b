//! A plugin whose child starts on first use. When the manifest came from
//! the cache, nothing of the plugin runs until its score function is first
//! needed; the child then started must give the very manifest the cache
//! held, or the plugin is not used and the entry is removed.

use crate::library::CallFailure;
use crate::manifest_cache;
use crate::refusal::Refusal;
use crate::worker::{Limits, Worker, WorkerCommand};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// How to start the child later, and what it must say then.
struct Later {
    command: WorkerCommand,
    bytes: Arc<[u8]>,
    limits: Limits,
    /// The manifest bytes the cache held.
    manifest: Vec<u8>,
    /// The cache folder and the library's hash, to forget a false entry.
    cache: PathBuf,
    sha256: String,
}

enum Slot {
    Waiting(Later),
    Started(Worker),
    /// The child started and said another manifest: never used again.
    Broken(String),
}

/// A plugin's child, running or still to start.
pub(crate) struct LazyWorker {
    has_score: bool,
    slot: Mutex<Slot>,
}

impl LazyWorker {
    /// A child already running (its manifest was just read from it).
    pub(crate) fn started(worker: Worker) -> LazyWorker {
        LazyWorker {
            has_score: worker.has_score(),
            slot: Mutex::new(Slot::Started(worker)),
        }
    }

    /// A child to start on first use, which must then give `entry`'s manifest.
    pub(crate) fn later(
        command: &WorkerCommand,
        bytes: Arc<[u8]>,
        limits: Limits,
        entry: manifest_cache::Entry,
        cache: PathBuf,
        sha256: String,
    ) -> LazyWorker {
        LazyWorker {
            has_score: entry.has_score,
            slot: Mutex::new(Slot::Waiting(Later {
                command: command.clone(),
                bytes,
                limits,
                manifest: entry.manifest.into_bytes(),
                cache,
                sha256,
            })),
        }
    }

    /// Whether the plugin's table has a score function.
    pub(crate) fn has_score(&self) -> bool {
        self.has_score
    }

    /// Whether the child has been started.
    pub(crate) fn is_started(&self) -> bool {
        matches!(*self.lock(), Slot::Started(_))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts the child if it is not running yet.
    pub(crate) fn start(&self) -> Result<(), CallFailure> {
        let mut slot = self.lock();
        let later = match &*slot {
            Slot::Started(_) => return Ok(()),
            Slot::Broken(why) => return Err(CallFailure::Unavailable(why.clone())),
            Slot::Waiting(later) => later,
        };
        let worker = Worker::start(&later.command, Arc::clone(&later.bytes), later.limits)
            .map_err(|refusal: Refusal| CallFailure::Unavailable(refusal.to_string()))?;
        let said = worker.manifest_bytes()?;
        if said != later.manifest || worker.has_score() != self.has_score {
            manifest_cache::forget(&later.cache, &later.sha256);
            let why = "its manifest differs from the one cached at the last start; \
                       restart anfang to read it again"
                .to_owned();
            *slot = Slot::Broken(why.clone());
            return Err(CallFailure::Unavailable(why));
        }
        *slot = Slot::Started(worker);
        Ok(())
    }

    /// The raw answer of the score function, starting the child first if needed.
    pub(crate) fn score_bytes(&self, request: &[u8]) -> Result<Vec<u8>, CallFailure> {
        self.start()?;
        match &*self.lock() {
            Slot::Started(worker) => worker.score_bytes(request),
            Slot::Broken(why) => Err(CallFailure::Unavailable(why.clone())),
            Slot::Waiting(_) => Err(CallFailure::Unavailable("not started".into())),
        }
    }
}
