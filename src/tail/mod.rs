//! Following logs while a job writes them: the byte-level work of `tracker tail` and
//! `tracker exec`. Nothing here touches the database; the caller commits each [`Chunk`] with
//! its position in one transaction.
//!
//! - [`Stream`]: bytes arriving in pieces (a file, a pipe) through the format's
//!   [`crate::ingest::Parser`]: the format detected as import would, an incomplete last line
//!   or record kept until the rest arrives.
//! - [`Follow`]: one file: its read offset, the first bytes and inode that tell a truncated,
//!   rotated or rewritten file (read again from the start), a file that does not exist yet
//!   (waited for), and resuming at a stored position: the bytes before it are parsed again
//!   without being handed on, so that parsers that count lines or remember a header go on
//!   exactly as if they had never stopped. Documents rewritten whole (`trainer_state.json`)
//!   are read whole after each change.
//! - [`changes::Watcher`]: file-system notifications (the only user of notify).

pub mod changes;
mod follow;
mod stream;

pub use follow::{Chunk, Follow, HEAD_FINGERPRINT};
pub use stream::{Params, Stream};

#[cfg(test)]
mod tests;
