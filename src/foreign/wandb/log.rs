//! The framing of a W&B transaction log (`run-ID.wandb`), in the manner of LevelDB's log: a
//! 7-byte file header (`:W&B`, a `u16` magic `0xBEE1`, a `u8` version), then 32 KiB blocks of
//! records. Each record has a 7-byte header: a `u32` checksum, a `u16` length, a `u8` type
//! (FULL, FIRST, MIDDLE, LAST: a payload split across blocks), all little-endian. Unlike
//! LevelDB, the checksum is a plain (unmasked) zlib CRC-32 of the type byte and then the data.
//! A block's tail too short for a record header is zero padding.

/// The file header's length.
pub const FILE_HEADER_LEN: usize = 7;
/// A record header's length.
pub const HEADER_LEN: usize = 7;
/// The block size: records never cross a block boundary (a payload is split instead).
pub const BLOCK: usize = 32 * 1024;

const FULL: u8 = 1;
const FIRST: u8 = 2;
const MIDDLE: u8 = 3;
const LAST: u8 = 4;

/// Whether `head` starts with a W&B transaction log's file header.
pub fn is_log(head: &[u8]) -> bool {
    head.len() >= FILE_HEADER_LEN && &head[..4] == b":W&B" && head[4..6] == [0xE1, 0xBE]
}

/// The checksum a record of type `kind` with payload `data` carries.
pub fn checksum(kind: u8, data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(&[kind]);
    h.update(data);
    h.finalize()
}

/// What the reader found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A whole payload, and the byte offset of its first record.
    Payload(u64, Vec<u8>),
    /// Bytes from `offset` that are not a valid record, and why; reading goes on at the next
    /// block.
    Damage(u64, &'static str),
}

/// Reads one block at a time, joining split payloads. Pure: blocks are handed in by the caller.
#[derive(Default)]
pub struct Reader {
    pending: Option<(u64, Vec<u8>)>,
}

impl Reader {
    /// A reader at the start of a file.
    pub fn new() -> Self {
        Self::default()
    }

    /// Read one block, the `index`-th of the file (the first holds the file header, which the
    /// caller has checked), appending what it holds to `out`. A short block is the file's end.
    pub fn block(&mut self, index: u64, data: &[u8], out: &mut Vec<Item>) {
        let base = index * BLOCK as u64;
        let mut at = if index == 0 { FILE_HEADER_LEN } else { 0 };
        while at + HEADER_LEN <= data.len() {
            let h = &data[at..at + HEADER_LEN];
            let crc = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
            let len = usize::from(u16::from_le_bytes([h[4], h[5]]));
            let kind = h[6];
            if crc == 0 && len == 0 && kind == 0 {
                // Zero padding (or preallocated space): nothing more in this block.
                return;
            }
            let offset = base + at as u64;
            let Some(body) = data.get(at + HEADER_LEN..at + HEADER_LEN + len) else {
                self.damage(offset, "record cut short", out);
                return;
            };
            if !(FULL..=LAST).contains(&kind) || checksum(kind, body) != crc {
                self.damage(offset, "bad record checksum or type", out);
                return;
            }
            match kind {
                FULL | FIRST => {
                    if let Some((start, _)) = self.pending.take() {
                        out.push(Item::Damage(start, "split record without its end"));
                    }
                    if kind == FULL {
                        out.push(Item::Payload(offset, body.to_vec()));
                    } else {
                        self.pending = Some((offset, body.to_vec()));
                    }
                }
                MIDDLE | LAST => match self.pending.take() {
                    Some((start, mut buf)) => {
                        buf.extend_from_slice(body);
                        if kind == LAST {
                            out.push(Item::Payload(start, buf));
                        } else {
                            self.pending = Some((start, buf));
                        }
                    }
                    None => out.push(Item::Damage(
                        offset,
                        "part of a split record without its start",
                    )),
                },
                _ => {}
            }
            at += HEADER_LEN + len;
        }
    }

    /// The file ended: a split payload still open is damage.
    pub fn finish(&mut self, out: &mut Vec<Item>) {
        if let Some((start, _)) = self.pending.take() {
            out.push(Item::Damage(
                start,
                "split record without its end (file cut short)",
            ));
        }
    }

    fn damage(&mut self, offset: u64, why: &'static str, out: &mut Vec<Item>) {
        if let Some((start, _)) = self.pending.take() {
            out.push(Item::Damage(start, "split record without its end"));
        }
        out.push(Item::Damage(offset, why));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with one FULL record per payload (each fits its block).
    pub fn write(payloads: &[&[u8]]) -> Vec<u8> {
        let mut f = b":W&B\xE1\xBE\x00".to_vec();
        for p in payloads {
            let room = BLOCK - f.len() % BLOCK;
            if room < HEADER_LEN + p.len() {
                f.resize(f.len() + room, 0);
            }
            f.extend_from_slice(&checksum(FULL, p).to_le_bytes());
            f.extend_from_slice(&(p.len() as u16).to_le_bytes());
            f.push(FULL);
            f.extend_from_slice(p);
        }
        f
    }

    fn read(file: &[u8]) -> Vec<Item> {
        let mut r = Reader::new();
        let mut out = Vec::new();
        for (i, b) in file.chunks(BLOCK).enumerate() {
            r.block(i as u64, b, &mut out);
        }
        r.finish(&mut out);
        out
    }

    #[test]
    fn the_checksum_is_zlib_crc32_of_the_type_then_the_data() {
        assert_eq!(checksum(b'1', b"23456789"), 0xCBF4_3926);
    }

    #[test]
    fn records_and_a_cut_last_one() {
        let f = write(&[b"one", b"two"]);
        assert!(is_log(&f));
        assert_eq!(
            read(&f),
            vec![
                Item::Payload(7, b"one".to_vec()),
                Item::Payload(17, b"two".to_vec())
            ]
        );
        let cut = &f[..f.len() - 1];
        assert_eq!(
            read(cut),
            vec![
                Item::Payload(7, b"one".to_vec()),
                Item::Damage(17, "record cut short")
            ]
        );
    }

    #[test]
    fn a_split_payload_is_joined_and_a_bad_block_resumes_at_the_next() {
        let big = vec![7u8; BLOCK];
        let mut f = b":W&B\xE1\xBE\x00".to_vec();
        let first = &big[..BLOCK - 14];
        let last = &big[BLOCK - 14..];
        for (kind, part) in [(FIRST, first), (LAST, last)] {
            f.extend_from_slice(&checksum(kind, part).to_le_bytes());
            f.extend_from_slice(&(part.len() as u16).to_le_bytes());
            f.push(kind);
            f.extend_from_slice(part);
        }
        assert_eq!(read(&f), vec![Item::Payload(7, big.clone())]);
        f[20] ^= 1;
        assert_eq!(
            read(&f),
            vec![
                Item::Damage(7, "bad record checksum or type"),
                Item::Damage(BLOCK as u64, "part of a split record without its start"),
            ]
        );
    }
}
