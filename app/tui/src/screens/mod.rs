//! One module per screen. Each holds the screen's state, its `update`
//! (pure: returns effects and navigation) and its `view` (draws only).
//! See ARCHITECTURE.md for adding a screen.

pub mod editor;
pub mod export;
pub mod history;
pub mod home;
pub mod merge;
pub mod new_visit;
pub mod overlay;
pub mod plugins;
pub mod review;
pub mod scores;
pub mod visit;

use crate::catalog::Catalog;
use crate::effect::Effect;
use crate::screens::overlay::Overlay;
use crate::state::{Screen, Status};
use anfang_core::Lang;

/// What a screen's update asks of the shell besides its own changes.
#[derive(Debug, Default)]
pub struct Out {
    /// I/O for the runtime.
    pub effects: Vec<Effect>,
    /// Where to go.
    pub nav: Option<Nav>,
    /// A message for the status line.
    pub status: Option<Status>,
}

impl Out {
    /// Nothing to do.
    pub fn none() -> Out {
        Out::default()
    }

    /// Go somewhere.
    pub fn nav(nav: Nav) -> Out {
        Out {
            nav: Some(nav),
            ..Out::default()
        }
    }

    /// Ask for one effect.
    pub fn effect(effect: Effect) -> Out {
        Out {
            effects: vec![effect],
            ..Out::default()
        }
    }

    /// Show an error message.
    pub fn error(message: impl Into<String>) -> Out {
        Out {
            status: Some(Status::Error(message.into())),
            ..Out::default()
        }
    }

    /// Show an informative message.
    pub fn info(message: impl Into<String>) -> Out {
        Out {
            status: Some(Status::Info(message.into())),
            ..Out::default()
        }
    }

    /// Adds an effect.
    pub fn with(mut self, effect: Effect) -> Out {
        self.effects.push(effect);
        self
    }

    /// Sets the navigation.
    pub fn go(mut self, nav: Nav) -> Out {
        self.nav = Some(nav);
        self
    }
}

/// Navigation between screens.
#[derive(Debug)]
pub enum Nav {
    /// Show a new screen on top.
    Push(Screen),
    /// Back to the screen below.
    Pop,
    /// Replace the visible screen.
    Replace(Screen),
    /// Open a pop-up.
    Overlay(Overlay),
    /// Leave the application.
    Quit,
}

/// What every screen may read while updating.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The language.
    pub lang: Lang,
    /// The clock.
    pub now: jiff::Timestamp,
    /// The time zone.
    pub tz: &'a jiff::tz::TimeZone,
    /// The inspector using the laptop.
    pub user_name: &'a str,
    /// The name is only guessed: ask for it before it signs a decision.
    pub ask_name: bool,
    /// Loaded checklists and plugins.
    pub catalog: &'a Catalog,
    /// The terminal size.
    pub size: (u16, u16),
    /// What the office writes on its bulletins, from its settings.
    pub documents: &'a crate::screens::export::DocumentDefaults,
}
