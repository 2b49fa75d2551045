//! TFRecord framing: `u64` little-endian payload length, masked CRC-32C of those 8 bytes,
//! the payload, masked CRC-32C of the payload.

/// Bytes before the payload: the length and its checksum.
pub const HEADER_LEN: usize = 12;
/// Bytes after the payload: its checksum.
pub const FOOTER_LEN: usize = 4;
/// Longest payload accepted; a longer length is taken as corruption. Event files hold small
/// records (a graph is the largest, a few MB).
pub const MAX_PAYLOAD: u64 = 64 << 20;

/// The masked CRC-32C that TFRecord stores.
pub fn masked_crc(data: &[u8]) -> u32 {
    let crc = crc32c::crc32c(data);
    // ((crc >> 15) | (crc << 17)) + 0xa282ead8, wrapping.
    crc.rotate_right(15).wrapping_add(0xa282_ead8)
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The payload length of the record header at the start of `data`, if the header is complete,
/// its checksum is valid and the length is not absurd.
pub fn header(data: &[u8]) -> Option<usize> {
    let len_bytes: [u8; 8] = data.get(..8)?.try_into().ok()?;
    let len = u64::from_le_bytes(len_bytes);
    if u32_at(data, 8)? != masked_crc(&len_bytes) || len > MAX_PAYLOAD {
        return None;
    }
    usize::try_from(len).ok()
}

/// What is at the start of some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// A whole, valid record: its payload is `data[HEADER_LEN..HEADER_LEN + len]`.
    Record { len: usize },
    /// The start of what may be a valid record; more bytes are needed to tell.
    Incomplete,
    /// Not a valid record: a bad length checksum, an absurd length, or a bad payload checksum.
    Corrupt(Damage),
}

/// Why a record is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    Header,
    Payload,
}

impl Damage {
    pub fn describe(self) -> &'static str {
        match self {
            Damage::Header => "bad length checksum",
            Damage::Payload => "bad data checksum",
        }
    }
}

impl Frame {
    /// Bytes this frame takes, for a whole record.
    pub fn total(len: usize) -> usize {
        HEADER_LEN + len + FOOTER_LEN
    }
}

/// Read the frame at the start of `data`.
pub fn frame(data: &[u8]) -> Frame {
    if data.len() < HEADER_LEN {
        return Frame::Incomplete;
    }
    let Some(len) = header(data) else {
        return Frame::Corrupt(Damage::Header);
    };
    let total = Frame::total(len);
    if data.len() < total {
        return Frame::Incomplete;
    }
    let payload = &data[HEADER_LEN..HEADER_LEN + len];
    if u32_at(data, HEADER_LEN + len) == Some(masked_crc(payload)) {
        Frame::Record { len }
    } else {
        Frame::Corrupt(Damage::Payload)
    }
}

/// Where a valid record may start, searching `data` from `from` byte by byte: the first position
/// whose frame is a whole valid record or, near the end, could still become one. `None` when no
/// position before `data.len() - HEADER_LEN` qualifies (the last bytes need more data to tell).
pub fn resync(data: &[u8], from: usize) -> Option<usize> {
    let end = data.len().checked_sub(HEADER_LEN)?;
    (from..=end).find(|&at| !matches!(frame(&data[at..]), Frame::Corrupt(_)))
}

/// Frame `payload` as one record (for the writer used by tests and benchmarks).
pub fn encode(payload: &[u8], out: &mut Vec<u8>) {
    let len = (payload.len() as u64).to_le_bytes();
    out.extend_from_slice(&len);
    out.extend_from_slice(&masked_crc(&len).to_le_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&masked_crc(payload).to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_crc_matches_tensorflow() {
        // CRC-32C("123456789") = 0xe3069283 (the standard check value), masked:
        // ((crc >> 15) | (crc << 17)) + 0xa282ead8 = 0xc78ab0e5.
        assert_eq!(masked_crc(b"123456789"), 0xc78a_b0e5);
    }

    #[test]
    fn frames_whole_incomplete_and_corrupt() {
        let mut data = Vec::new();
        encode(b"hello", &mut data);
        assert_eq!(frame(&data), Frame::Record { len: 5 });
        for cut in 0..data.len() {
            assert_eq!(frame(&data[..cut]), Frame::Incomplete, "cut at {cut}");
        }
        let mut bad = data.clone();
        bad[13] ^= 1;
        assert_eq!(frame(&bad), Frame::Corrupt(Damage::Payload));
        bad[2] ^= 1;
        assert_eq!(frame(&bad), Frame::Corrupt(Damage::Header));
    }

    #[test]
    fn absurd_lengths_are_corrupt() {
        let len = (MAX_PAYLOAD + 1).to_le_bytes();
        let mut data = len.to_vec();
        data.extend_from_slice(&masked_crc(&len).to_le_bytes());
        assert_eq!(frame(&data), Frame::Corrupt(Damage::Header));
    }

    #[test]
    fn resync_finds_the_next_record() {
        let mut data = b"garbage!".to_vec();
        encode(b"one", &mut data);
        assert_eq!(resync(&data, 0), Some(8));
        assert_eq!(resync(&data, 9), None);
        assert_eq!(resync(&data[..10], 0), None);
    }
}
