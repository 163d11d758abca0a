//! One module per command, each an options struct, one run function and the
//! printing of its report; the exit code is decided once, here.

pub mod build;
pub mod check;
pub mod new;
pub mod schema;
pub mod serve;

use crate::diagnostics::Fatal;
use std::process::ExitCode;

/// How a command ended, short of an environment failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exit 0.
    Success,
    /// Exit 1: errors in the content, theme or configuration (printed).
    ContentErrors,
}

/// The exit code for a command's outcome: 0 success, 1 content errors, 2
/// usage or I/O errors (printed here, escaped for the terminal).
pub fn exit_code(outcome: Result<Status, Fatal>, color: bool) -> ExitCode {
    match outcome {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::ContentErrors) => ExitCode::from(1),
        Err(e) => {
            let label = if color {
                "\x1b[1;31merror\x1b[0m"
            } else {
                "error"
            };
            eprintln!(
                "{label}: {}",
                crate::diagnostics::terminal_safe(&e.to_string())
            );
            ExitCode::from(2)
        }
    }
}
