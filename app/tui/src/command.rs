//! Commands: what a key can be bound to in the keymap.

/// A command a key runs. Names in the keymap are the snake_case forms
/// listed in [`Command::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Leave the application.
    Quit,
    /// Go back to the previous screen (saving what is being edited).
    Back,
    /// Show or hide the keys of the current screen.
    Help,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Move a page up.
    PageUp,
    /// Move a page down.
    PageDown,
    /// Go to the first row.
    Top,
    /// Go to the last row.
    Bottom,
    /// Next checklist tab.
    NextTab,
    /// Previous checklist tab.
    PrevTab,
    /// Next field of a form.
    NextField,
    /// Previous field of a form.
    PrevField,
    /// Open or confirm the selected row.
    Select,
    /// Start a new visit.
    NewVisit,
    /// Show the plugins screen.
    Plugins,
    /// Start the visit being set up.
    StartVisit,
    /// Toggle the selected option.
    Toggle,
    /// Record a violation on the selected item (count 1) and edit its note.
    Violation,
    /// Record the selected item as compliant.
    Compliant,
    /// Record the selected item as not applicable.
    NotApplicable,
    /// Record every unchecked item of the checklist compliant (asks first).
    CompliantRest,
    /// Record another finding on the selected item.
    AddFinding,
    /// Switch between the item list and the item's findings.
    SwitchPane,
    /// Show every version and decision of the selected finding.
    History,
    /// Close the visit (asks first).
    CloseVisit,
    /// Add another loaded checklist to the visit.
    AddChecklist,
    /// Attach a file to the selected finding as evidence.
    Attach,
    /// Open the selected finding's evidence file.
    OpenEvidence,
    /// Write the visit's record and list of evidence (DOCX) to the working folder.
    VisitRecord,
    /// Write the rectification notice to the current finding's unit (DOCX).
    RectificationNotice,
    /// Leave the editor without saving.
    Discard,
    /// Increase the count.
    CountUp,
    /// Decrease the count.
    CountDown,
    /// Answer yes.
    Yes,
    /// Answer no.
    No,
    /// Open the merge screen.
    Merge,
    /// Open the export screen.
    Export,
    /// Run the screen's job: merge the chosen bundles, write the export.
    Run,
    /// Choose every file in the list, or none.
    ChooseAll,
    /// Open the review of findings.
    Review,
    /// Open scores and ranking.
    Scores,
    /// Type words to search for.
    Search,
    /// Open the filter form.
    Filter,
    /// Remove every filter and the search.
    ClearFilters,
    /// Sort by the next column.
    SortNext,
    /// Reverse the sort.
    SortReverse,
    /// Show only overdue rectifications, or everything again.
    Overdue,
    /// Confirm the selected finding.
    Confirm,
    /// Confirm every pending finding of the selected finding's visit.
    ConfirmVisit,
    /// Dismiss the selected finding, with a reason.
    Dismiss,
    /// Require rectification by a deadline.
    Rectify,
    /// Record that the unit rectified, with a note.
    MarkRectified,
    /// Record that the rectification was checked.
    Verify,
    /// Send a reported rectification back with a new deadline.
    RejectRectification,
    /// Record the unit's appeal of a confirmed finding.
    Appeal,
    /// Decide an appeal: it stands, the finding is dismissed.
    AppealUphold,
    /// Decide an appeal: it does not stand, the finding stays confirmed.
    AppealDeny,
    /// Start a follow-up visit (复查) of the finding's unit, linked to it.
    Recheck,
    /// Score a month, a quarter or a year.
    PeriodLength,
    /// Trend by months or by quarters.
    TrendStep,
    /// Enter public appraisal results for the selected unit.
    Appraisal,
    /// Enter an office deduction for the selected unit.
    Deduct,
    /// Bound to nothing: a user keymap entry with `run = "none"` unbinds a key.
    None,
}

impl Command {
    /// Every command with its keymap name.
    pub const ALL: &[(Command, &'static str)] = &[
        (Command::Quit, "quit"),
        (Command::Back, "back"),
        (Command::Help, "help"),
        (Command::Up, "up"),
        (Command::Down, "down"),
        (Command::PageUp, "page_up"),
        (Command::PageDown, "page_down"),
        (Command::Top, "top"),
        (Command::Bottom, "bottom"),
        (Command::NextTab, "next_tab"),
        (Command::PrevTab, "prev_tab"),
        (Command::NextField, "next_field"),
        (Command::PrevField, "prev_field"),
        (Command::Select, "select"),
        (Command::NewVisit, "new_visit"),
        (Command::Plugins, "plugins"),
        (Command::StartVisit, "start_visit"),
        (Command::Toggle, "toggle"),
        (Command::Violation, "violation"),
        (Command::Compliant, "compliant"),
        (Command::NotApplicable, "not_applicable"),
        (Command::CompliantRest, "compliant_rest"),
        (Command::AddFinding, "add_finding"),
        (Command::SwitchPane, "switch_pane"),
        (Command::History, "history"),
        (Command::CloseVisit, "close_visit"),
        (Command::AddChecklist, "add_checklist"),
        (Command::Attach, "attach"),
        (Command::OpenEvidence, "open_evidence"),
        (Command::VisitRecord, "visit_record"),
        (Command::RectificationNotice, "rectification_notice"),
        (Command::Discard, "discard"),
        (Command::CountUp, "count_up"),
        (Command::CountDown, "count_down"),
        (Command::Yes, "yes"),
        (Command::No, "no"),
        (Command::Merge, "merge"),
        (Command::Export, "export"),
        (Command::Run, "run"),
        (Command::ChooseAll, "choose_all"),
        (Command::Review, "review"),
        (Command::Scores, "scores"),
        (Command::Search, "search"),
        (Command::Filter, "filter"),
        (Command::ClearFilters, "clear_filters"),
        (Command::SortNext, "sort_next"),
        (Command::SortReverse, "sort_reverse"),
        (Command::Overdue, "overdue"),
        (Command::Confirm, "confirm"),
        (Command::ConfirmVisit, "confirm_visit"),
        (Command::Dismiss, "dismiss"),
        (Command::Rectify, "rectify"),
        (Command::MarkRectified, "mark_rectified"),
        (Command::Verify, "verify"),
        (Command::RejectRectification, "reject_rectification"),
        (Command::Appeal, "appeal"),
        (Command::AppealUphold, "appeal_uphold"),
        (Command::AppealDeny, "appeal_deny"),
        (Command::Recheck, "recheck"),
        (Command::PeriodLength, "period_length"),
        (Command::TrendStep, "trend_step"),
        (Command::Appraisal, "appraisal"),
        (Command::Deduct, "deduct"),
        (Command::None, "none"),
    ];

    /// The command named `name` in a keymap.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(command, _)| *command)
    }

    /// The command's keymap name.
    pub fn name(self) -> &'static str {
        Command::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map(|(_, n)| *n)
            .unwrap_or("none")
    }
}
