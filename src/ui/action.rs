//! Everything staff can do, as values: a key becomes an `Action` (see
//! `keymap.rs`), `App::update` carries it out.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    // Anywhere
    Help,
    Quit,
    Lock,
    Back,
    // The search line
    SearchChar(char),
    SearchBackspace,
    Up,
    Down,
    Pick,
    Anonymous,
    NewVisitor,
    Tally,
    Recent,
    UndoLast,
    // The contact panel
    AddItem(usize),
    ReturnItem(usize),
    RemoveLast,
    ToggleFlag(usize),
    CycleChannel,
    Conversation,
    NewMessage,
    MessageDone,
    Save,
    // The conversation panel
    ToggleTopic(usize),
    SwitchFocus,
    // Text fields (note, form, message)
    TextChar(char),
    TextBackspace,
    NextField,
    PrevField,
    Paste(String),
    // Tally mode
    TallyItem(usize),
    TallyUndo,
    // Recent contacts
    UndoSelected,
    EditSelected,
    // Reports
    Reports,
    Period(super::reports::Period),
    Step(i64),
    ThisPeriod,
    Export(crate::report::Format),
    // Audit log
    Audit,
    AuditExport,
}
