//! One module per command: an options struct and one run function each.

pub mod build;
pub mod check;
pub mod new;
