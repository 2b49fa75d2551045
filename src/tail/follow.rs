//! One followed file: where it has been read to, and what to do when it was truncated,
//! rotated, rewritten or does not exist yet.

use super::stream::{Params, Stream};
use crate::ingest::{Batch, Format, Options};
use crate::model::SourcePosition;
use crate::{Error, Result};
use std::fs::{File, Metadata};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How many of a file's first bytes are kept to tell a rewritten file from the same one.
pub const HEAD_FINGERPRINT: usize = 1024;

/// Largest read at once; points are handed on after each.
const CHUNK: u64 = 1 << 20;

/// Largest document (a `trainer_state.json`) read whole.
const MAX_DOCUMENT: u64 = 256 << 20;

/// Device and inode: the identity of a file, whatever its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
}

fn id_of(m: &Metadata) -> FileId {
    FileId {
        dev: m.dev(),
        ino: m.ino(),
    }
}

/// The file being read.
struct Open {
    file: File,
    id: FileId,
    /// Bytes read from it so far.
    read_to: u64,
    /// Its first bytes, as read.
    head: Vec<u8>,
    /// Size and modification time when last looked at.
    seen: Option<(u64, Option<SystemTime>)>,
}

/// What was parsed from a followed file, and how far that reaches.
pub struct Chunk<'a> {
    pub batch: &'a Batch,
    /// Save this with the points, in one transaction.
    pub position: SourcePosition,
    /// Changes when the file is read again from the start, with a new batch.
    pub generation: u64,
}

/// One file followed as it grows.
pub struct Follow {
    path: PathBuf,
    key: String,
    run: String,
    stream: Stream,
    open: Option<Open>,
    /// A position stored by an earlier `tail`, checked when the file is opened.
    resume: Option<SourcePosition>,
    /// Bytes below this offset were committed before: parse them (to restore the parser's
    /// state) without handing them on.
    replay_until: u64,
    /// Whether the file is a document rewritten whole (`trainer_state.json`).
    document: Option<Format>,
    notes: Vec<String>,
    /// The sink failed to take the last chunk (the database was locked, the disk full): the
    /// batch is kept and handed on again first at the next poll.
    pending: bool,
    /// What its steps are read against, saved with its position.
    reading: Option<String>,
}

impl Follow {
    /// Follow `path` (which may not exist yet); `key` is its absolute path, under which its
    /// position is stored; its points go to `run`.
    pub fn new(
        path: &Path,
        key: &str,
        run: &str,
        format: Option<Format>,
        options: Options,
        params: Option<Params>,
    ) -> Self {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Follow {
            path: path.to_owned(),
            key: key.to_owned(),
            run: run.to_owned(),
            stream: Stream::new(&name, format, options).with_params(params),
            open: None,
            resume: None,
            replay_until: 0,
            document: None,
            notes: Vec::new(),
            pending: false,
            reading: None,
        }
    }

    /// Say what the file's steps are read against (saved with its position).
    pub fn with_reading(mut self, reading: Option<String>) -> Self {
        self.reading = reading;
        self
    }

    /// See [`Follow::with_reading`].
    pub fn set_reading(&mut self, reading: Option<String>) {
        self.reading = reading;
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The format it is read as, once known.
    pub fn format(&self) -> Option<Format> {
        self.document.or(self.stream.format())
    }

    /// Resume where an earlier `tail` stopped, if the file is still the one it read.
    pub fn resume_from(&mut self, position: SourcePosition) {
        self.resume = Some(position);
    }

    /// Messages for the user (resumed, truncated, rotated), taken.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    fn note(&mut self, what: String) {
        self.notes.push(format!("{}: {what}", self.path.display()));
    }

    /// Read what is new and hand each parsed chunk to `sink` (which commits it with its
    /// position). A file that is missing is waited for; one shorter than what was read was
    /// truncated, one with another inode was rotated, one whose first bytes changed was
    /// rewritten: each is read again from the start.
    pub fn poll<E: From<Error>>(
        &mut self,
        sink: &mut dyn FnMut(Chunk<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.pending {
            self.hand_on(sink)?;
        }
        let meta = match std::fs::metadata(&self.path) {
            Ok(m) if m.is_file() => Some(m),
            Ok(_) => None,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&self.path, e).into()),
        };
        if let Some(open) = &self.open
            && meta.as_ref().map(id_of) != Some(open.id)
        {
            // Renamed away or replaced: first read what the old file still holds (the job
            // may have written to it just before).
            if self.document.is_none() {
                self.read(sink)?;
            }
            if meta.is_none() {
                if self.document.is_some() {
                    // A document is read whole from its path: nothing more to read here.
                    self.open = None;
                }
                return Ok(());
            }
            self.note(
                "replaced by a new file (rotated): reading the new one from the start".into(),
            );
            self.open = None;
            self.replay_until = 0;
            self.stream.start_over();
        }
        let Some(meta) = meta else {
            return Ok(());
        };
        if self.open.is_none() {
            self.open_file(&meta)?;
        }
        let seen = Some((meta.len(), meta.modified().ok()));
        let Some(open) = self.open.as_mut() else {
            return Ok(());
        };
        if open.seen == seen {
            return Ok(());
        }
        open.seen = seen;
        if self.document.is_none() && self.stream.settled_format().is_none() && meta.len() > 0 {
            self.document = document_format(&self.stream, &self.path, &open.file)
                .map_err(|e| Error::io(&self.path, e))?;
        }
        if let Some(format) = self.document {
            return self.read_document(format, meta.len(), sink);
        }
        let Some(open) = self.open.as_mut() else {
            return Ok(());
        };
        let changed = if meta.len() < open.read_to {
            Some("truncated")
        } else if !open.head.is_empty() && !starts_with(&open.file, &open.head) {
            Some("rewritten")
        } else {
            None
        };
        if let Some(what) = changed {
            open.read_to = 0;
            open.head.clear();
            self.replay_until = 0;
            self.stream.start_over();
            self.note(format!("{what}: reading it again from the start"));
        }
        self.read(sink)
    }

    fn open_file(&mut self, meta: &Metadata) -> Result<()> {
        let file = File::open(&self.path).map_err(|e| Error::io(&self.path, e))?;
        let id = id_of(meta);
        let mut open = Open {
            file,
            id,
            read_to: 0,
            head: Vec::new(),
            seen: None,
        };
        if let Some(pos) = self.resume.take() {
            let same = pos.dev == id.dev
                && pos.inode == id.ino
                && meta.len() >= pos.offset
                && starts_with(&open.file, &pos.head);
            let format = pos.format.as_deref().and_then(|f| f.parse::<Format>().ok());
            let format_agrees = match (self.stream.format(), format) {
                (Some(given), Some(stored)) => given == stored,
                _ => true,
            };
            if same && format_agrees {
                if let Some(f) = format {
                    self.stream.force(f);
                }
                self.replay_until = pos.offset;
                open.head = pos.head;
                // A document is read whole anyway.
                if pos.offset > 0 && !format.is_some_and(Format::is_document) {
                    self.note(format!("resuming at byte {}", pos.offset));
                }
            } else {
                self.note("changed since it was last read: reading it from the start".into());
            }
        }
        self.open = Some(open);
        Ok(())
    }

    fn position(&self) -> SourcePosition {
        let (size, id, head) = match &self.open {
            Some(o) => (o.read_to, o.id, o.head.clone()),
            None => (0, FileId { dev: 0, ino: 0 }, Vec::new()),
        };
        SourcePosition {
            path: self.key.clone(),
            run: self.run.clone(),
            format: self
                .document
                .or(self.stream.settled_format())
                .map(|f| f.name().to_owned()),
            offset: self.stream.consumed(),
            size,
            dev: id.dev,
            inode: id.ino,
            head,
            reading: self.reading.clone(),
        }
    }

    /// Read from the open file to its end.
    fn read<E: From<Error>>(
        &mut self,
        sink: &mut dyn FnMut(Chunk<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        loop {
            let Some(open) = self.open.as_mut() else {
                return Ok(());
            };
            let len = open.file.metadata().map(|m| m.len()).unwrap_or(0);
            let want = len.saturating_sub(open.read_to).clamp(4096, CHUNK) as usize;
            let mut buf = vec![0; want];
            let n = open
                .file
                .read_at(&mut buf, open.read_to)
                .map_err(|e| Error::io(&self.path, e))?;
            if n == 0 {
                return Ok(());
            }
            let data = &buf[..n];
            let start = open.read_to;
            if (start as usize) < HEAD_FINGERPRINT && open.head.len() == start as usize {
                let take = (HEAD_FINGERPRINT - start as usize).min(n);
                open.head.extend_from_slice(&data[..take]);
            }
            open.read_to += n as u64;
            let replayed = self.replay_until.saturating_sub(start).min(n as u64) as usize;
            if replayed > 0 {
                self.stream.push(&data[..replayed]);
                self.stream.clear();
            }
            self.stream.push(&data[replayed..]);
            if start + n as u64 > self.replay_until {
                self.hand_on(sink)?;
            }
        }
    }

    fn hand_on<E: From<Error>>(
        &mut self,
        sink: &mut dyn FnMut(Chunk<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let position = self.position();
        let r = sink(Chunk {
            batch: self.stream.batch(),
            position,
            generation: self.stream.generation(),
        });
        self.pending = r.is_err();
        if self.pending {
            // Look at the file again at the next poll, whatever its size says: the read loop
            // stopped before its end.
            if let Some(o) = self.open.as_mut() {
                o.seen = None;
            }
            return r;
        }
        self.stream.clear();
        Ok(())
    }

    fn read_document<E: From<Error>>(
        &mut self,
        format: Format,
        len: u64,
        sink: &mut dyn FnMut(Chunk<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(open) = self.open.as_mut() else {
            return Ok(());
        };
        if len > MAX_DOCUMENT {
            return Ok(());
        }
        let mut data = vec![0; len as usize];
        let n = open
            .file
            .read_at(&mut data, 0)
            .map_err(|e| Error::io(&self.path, e))?;
        data.truncate(n);
        open.read_to = n as u64;
        open.head = data[..n.min(HEAD_FINGERPRINT)].to_vec();
        if self.stream.document(format, &data) {
            self.hand_on(sink)?;
        }
        Ok(())
    }

    /// Stop reading: flush what the parser holds back and hand it on. With `partial` (the file
    /// is complete, as with `--once`), an unterminated last line is parsed too.
    pub fn finish<E: From<Error>>(
        &mut self,
        partial: bool,
        sink: &mut dyn FnMut(Chunk<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.pending {
            self.hand_on(sink)?;
        }
        if self.document.is_some() || self.open.is_none() {
            return Ok(());
        }
        if self
            .open
            .as_ref()
            .is_some_and(|o| o.read_to < self.replay_until)
        {
            return Ok(());
        }
        self.stream.finish(partial);
        self.hand_on(sink)
    }
}

/// The format of a file read whole each time it changes, if it is one.
fn document_format(stream: &Stream, path: &Path, file: &File) -> std::io::Result<Option<Format>> {
    let format = match stream.format() {
        Some(f) => f,
        None => {
            let mut head = vec![0; HEAD_FINGERPRINT];
            let n = file.read_at(&mut head, 0)?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            crate::ingest::detect(&name, &head[..n])
        }
    };
    Ok(format.is_document().then_some(format))
}

/// Whether the file's first bytes are `head`.
fn starts_with(file: &File, head: &[u8]) -> bool {
    let mut buf = vec![0; head.len()];
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], got as u64) {
            Ok(0) => return false,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    buf == head
}
