//! The `code` of every error the package throws to JavaScript ([`ErrorCode`]): a table of its own
//! so that the TypeScript declarations (src/typescript.rs) list the same codes natively.

/// The `code` of every error thrown to JavaScript: stable, for programs to branch on (the
/// message is for people and may change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A key of an options or widget object is unknown, of the wrong type or out of range; the
    /// error's `key` names it (`filters.priceMax`).
    InvalidOption,
    /// A positional argument is of the wrong type (`session.view(42)`, `recommend(5)`).
    InvalidArgument,
    /// The snapshot has no widget of that name.
    UnknownWidget,
    /// The catalog has no category of that name (`products({ category })`).
    UnknownCategory,
    /// The bytes are not a usable snapshot (truncated, damaged, another format version).
    InvalidSnapshot,
    /// `fetchSnapshot` could not fetch the snapshot (no `fetch`, network error, HTTP status).
    FetchFailed,
    /// A bug in edgerec.
    Internal,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 7] = [
        ErrorCode::InvalidOption,
        ErrorCode::InvalidArgument,
        ErrorCode::UnknownWidget,
        ErrorCode::UnknownCategory,
        ErrorCode::InvalidSnapshot,
        ErrorCode::FetchFailed,
        ErrorCode::Internal,
    ];

    /// The code as JavaScript sees it: `invalid_option`, ...
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::InvalidOption => "invalid_option",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::UnknownWidget => "unknown_widget",
            ErrorCode::UnknownCategory => "unknown_category",
            ErrorCode::InvalidSnapshot => "invalid_snapshot",
            ErrorCode::FetchFailed => "fetch_failed",
            ErrorCode::Internal => "internal",
        }
    }
}
