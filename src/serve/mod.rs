//! The machinery of `pestle serve` (the command itself is
//! [`crate::commands::serve`]): the HTTP server ([`http`]), watching the
//! site's files ([`watch`]), what a change asks to redo ([`plan`]), and the
//! session that keeps the last good site and rebuilds only what a change
//! touched ([`session`]).

pub(crate) mod http;
pub(crate) mod patch;
pub(crate) mod plan;
pub(crate) mod search;
pub(crate) mod session;
pub(crate) mod watch;
