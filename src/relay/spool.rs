//! The spool: a private directory where the relay appends the command's output, says which
//! process the command is and, at the end, how it ended; the recorder reads it from there.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

/// One of the command's output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pipe {
    Stdout,
    Stderr,
}

impl Pipe {
    pub const BOTH: [Pipe; 2] = [Pipe::Stdout, Pipe::Stderr];

    pub fn name(self) -> &'static str {
        match self {
            Pipe::Stdout => "stdout",
            Pipe::Stderr => "stderr",
        }
    }
}

/// How the command ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    Exited {
        code: i32,
    },
    Signaled {
        signal: i32,
    },
    /// It could not be started (127: not found, 126: not runnable).
    NotStarted {
        code: i32,
        message: String,
    },
}

impl End {
    /// The exit status a shell would report: the code, or 128 + the signal.
    pub fn code(&self) -> i32 {
        match self {
            End::Exited { code } | End::NotStarted { code, .. } => *code,
            End::Signaled { signal } => 128 + signal,
        }
    }
}

/// What a recorder needs to record the spool into the database, whoever it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub db: PathBuf,
    pub run: String,
    /// The command as a shell shows it.
    pub command: String,
    pub format: Option<String>,
    pub logging_steps: Option<u64>,
    /// The recorder's pid.
    pub recorder: u32,
    /// When the command was started (Unix seconds).
    pub started: f64,
}

/// The spool directory.
#[derive(Debug, Clone)]
pub struct Spool {
    dir: PathBuf,
}

impl Spool {
    /// A new private spool directory under the temporary directory.
    pub fn create() -> std::io::Result<Spool> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("tracker-exec-{}-{nanos:09}", std::process::id()));
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        Ok(Spool { dir })
    }

    /// The spool at `dir`.
    pub fn open(dir: &Path) -> Spool {
        Spool {
            dir: dir.to_owned(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file the relay appends a stream's bytes to.
    pub fn output(&self, pipe: Pipe) -> PathBuf {
        self.dir.join(pipe.name())
    }

    pub fn write_job(&self, job: &Job) -> std::io::Result<()> {
        self.put("job.json", &serde_json::to_vec(job)?)
    }

    pub fn job(&self) -> std::io::Result<Job> {
        Ok(serde_json::from_slice(&std::fs::read(
            self.dir.join("job.json"),
        )?)?)
    }

    /// The command's pid, once started.
    pub fn write_pid(&self, pid: u32) -> std::io::Result<()> {
        self.put("pid", pid.to_string().as_bytes())
    }

    /// The command has ended (and its pid is free for another process).
    pub fn clear_pid(&self) -> std::io::Result<()> {
        std::fs::remove_file(self.dir.join("pid"))
    }

    /// The command's pid, while it runs.
    pub fn pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.dir.join("pid"))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    pub fn write_end(&self, end: &End) -> std::io::Result<()> {
        self.put("end.json", &serde_json::to_vec(end)?)
    }

    /// How the command ended, once the relay has said so.
    pub fn end(&self) -> Option<End> {
        serde_json::from_slice(&std::fs::read(self.dir.join("end.json")).ok()?).ok()
    }

    /// Delete the spool (everything in it has been recorded).
    pub fn remove(&self) -> std::io::Result<()> {
        std::fs::remove_dir_all(&self.dir)
    }

    /// Write a small file whole: a reader sees all of it or none (written aside, renamed).
    fn put(&self, name: &str, data: &[u8]) -> std::io::Result<()> {
        let aside = self.dir.join(format!(".{name}.new"));
        let mut f = std::fs::File::create(&aside)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(aside, self.dir.join(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spool_keeps_the_job_the_pid_and_the_end() {
        let s = Spool::create().unwrap();
        assert_eq!(s.end(), None);
        let job = Job {
            db: "/x/t.db".into(),
            run: "r".into(),
            command: "python train.py".into(),
            format: None,
            logging_steps: Some(5),
            recorder: 1,
            started: 1.5,
        };
        s.write_job(&job).unwrap();
        s.write_pid(42).unwrap();
        let end = End::Signaled { signal: 15 };
        s.write_end(&end).unwrap();
        let again = Spool::open(s.dir());
        assert_eq!(again.job().unwrap(), job);
        assert_eq!(again.pid(), Some(42));
        s.clear_pid().unwrap();
        assert_eq!(again.pid(), None);
        assert_eq!(again.end(), Some(end));
        assert_eq!(again.end().unwrap().code(), 143);
        s.remove().unwrap();
        assert!(!s.dir().exists());
    }
}
