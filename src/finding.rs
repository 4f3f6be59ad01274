//! A finding: one rule's verdict on one place in the data, with a way to fix it.

use crate::source::Loc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    pub message: String,
    pub loc: Loc,
    /// How to fix it, in a sentence.
    pub help: Option<String>,
}

impl Finding {
    pub fn error(rule: &'static str, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            level: Level::Error,
            message: message.into(),
            loc,
            help: None,
        }
    }

    pub fn warning(rule: &'static str, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            level: Level::Warning,
            ..Finding::error(rule, loc, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}
