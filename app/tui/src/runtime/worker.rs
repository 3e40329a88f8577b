//! The worker: one thread owns the ledger and the plugin registry and
//! carries out effects in the order they were asked for; a second thread
//! writes drafts, so what is typed reaches the disk even while the ledger
//! waits for a lock. Both answer with actions on one channel; the
//! interface thread hands them to `update` and never waits for I/O itself.

use super::effects::{Context, Effects, draft};
use crate::action::Action;
use crate::effect::Effect;
use crate::i18n::t;
use anfang_core::Lang;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;

/// The two threads and what they still owe.
pub(crate) struct Worker {
    ledger: Option<Sender<(Effect, Context)>>,
    drafts: Option<Sender<(Effect, Lang)>>,
    answers: Receiver<Vec<Action>>,
    threads: Vec<JoinHandle<()>>,
    /// Effects handed over and not yet answered.
    owed: usize,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("owed", &self.owed)
            .finish_non_exhaustive()
    }
}

/// Sends the effect's answer when dropped, even an empty one: the answer
/// is owed however the effect ended (a panic included), so the interface
/// never waits for it forever.
struct Owed<'a> {
    answers: &'a Sender<Vec<Action>>,
    actions: Vec<Action>,
}

impl Drop for Owed<'_> {
    fn drop(&mut self) {
        let _ = self.answers.send(std::mem::take(&mut self.actions));
    }
}

impl Worker {
    /// Starts the threads; the first owns `effects`, the second writes
    /// drafts in `data_dir`.
    pub(crate) fn start(effects: Effects, data_dir: PathBuf) -> Worker {
        let (answers_to, answers) = channel();
        let (ledger, ledger_jobs) = channel::<(Effect, Context)>();
        let (drafts, draft_jobs) = channel::<(Effect, Lang)>();
        let to = answers_to.clone();
        // Both run below the interface thread's priority (see priority.rs).
        let owner = std::thread::spawn(move || {
            super::priority::lower_this_thread();
            let mut effects = effects;
            for (effect, ctx) in ledger_jobs {
                let mut owed = Owed {
                    answers: &to,
                    actions: vec![Action::Failed(t(ctx.lang, "error.worker").to_string())],
                };
                owed.actions = effects.run(effect, &ctx);
                drop(owed);
                effects.warm_up();
            }
        });
        let writer = std::thread::spawn(move || {
            super::priority::lower_this_thread();
            for (effect, lang) in draft_jobs {
                let mut owed = Owed {
                    answers: &answers_to,
                    actions: vec![Action::Failed(t(lang, "error.worker").to_string())],
                };
                owed.actions = draft(effect, &data_dir, lang);
            }
        });
        Worker {
            ledger: Some(ledger),
            drafts: Some(drafts),
            answers,
            threads: vec![owner, writer],
            owed: 0,
        }
    }

    /// Hands an effect over; its answer comes back through [`Worker::try_answer`]
    /// or [`Worker::answer`].
    pub(crate) fn send(&mut self, effect: Effect, ctx: Context) {
        let sent = match effect {
            Effect::SaveDraft(_) | Effect::DiscardDraft => self
                .drafts
                .as_ref()
                .is_some_and(|d| d.send((effect, ctx.lang)).is_ok()),
            _ => self
                .ledger
                .as_ref()
                .is_some_and(|l| l.send((effect, ctx)).is_ok()),
        };
        if sent {
            self.owed += 1;
        }
    }

    /// Effects handed over and not yet answered.
    pub(crate) fn owed(&self) -> usize {
        self.owed
    }

    /// An answer if one is ready.
    pub(crate) fn try_answer(&mut self) -> Option<Vec<Action>> {
        match self.answers.try_recv() {
            Ok(actions) => {
                self.owed = self.owed.saturating_sub(1);
                Some(actions)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.owed = 0;
                None
            }
        }
    }

    /// Waits for the next answer; `None` when nothing is owed.
    pub(crate) fn answer(&mut self) -> Option<Vec<Action>> {
        if self.owed == 0 {
            return None;
        }
        match self.answers.recv() {
            Ok(actions) => {
                self.owed -= 1;
                Some(actions)
            }
            Err(_) => {
                self.owed = 0;
                None
            }
        }
    }
}

impl Drop for Worker {
    /// Lets the threads finish what they were given (a finding being
    /// written is written whole), then closes the ledger.
    fn drop(&mut self) {
        self.ledger = None;
        self.drafts = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}
