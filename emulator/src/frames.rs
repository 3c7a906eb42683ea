//! Frames of the embedded HTTP server: a tiny baseline JPEG per video slot and second.
//!
//! A 64x48 greyscale image of flat 8x8 blocks, encoded by hand (only DC coefficients, all AC
//! zero), so any decoder reads it; a COM segment names the slot and the second, and the block
//! shades are drawn from both, so two frames of different slots or seconds never have the
//! same bytes.

const WIDTH: usize = 64;
const HEIGHT: usize = 48;
/// Every quantizer is 8: a flat block of level `v` then has the DC coefficient `v - 128`.
const QUANT: u8 = 8;

struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, len: u32) {
        for i in (0..len).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                self.byte();
            }
        }
    }

    fn byte(&mut self) {
        let b = (self.acc & 0xff) as u8;
        self.out.push(b);
        if b == 0xff {
            self.out.push(0); // byte stuffing
        }
        self.acc = 0;
        self.n = 0;
    }

    /// Pads the last byte with 1 bits.
    fn finish(mut self) -> Vec<u8> {
        while self.n != 0 {
            self.put(1, 1);
        }
        self.out
    }
}

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xff, marker]);
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
}

/// FNV-1a, enough to spread a slot id and a second over the block shades.
fn fnv(data: &[u8], seed: u64) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325 ^ seed, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The JPEG for `slot` at unix second `second`.
pub(crate) fn jpeg(slot: &str, second: u64) -> Vec<u8> {
    let mut out = vec![0xff, 0xd8];
    segment(&mut out, 0xe0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    let mut comment = format!("tcroom-emulator frame; second={second}; slot=").into_bytes();
    comment.extend(slot.as_bytes().iter().take(60_000));
    segment(&mut out, 0xfe, &comment);
    let mut dqt = vec![0u8];
    dqt.extend([QUANT; 64]);
    segment(&mut out, 0xdb, &dqt);
    let (w, h) = (WIDTH as u16, HEIGHT as u16);
    let sof = [8, (h >> 8) as u8, h as u8, (w >> 8) as u8, w as u8, 1, 1, 0x11, 0];
    segment(&mut out, 0xc0, &sof);
    // DC table 0: categories 0..=8, each a 4-bit code equal to the category.
    let mut dht_dc = vec![0x00];
    dht_dc.extend([0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    dht_dc.extend(0u8..=8);
    segment(&mut out, 0xc4, &dht_dc);
    // AC table 0: only end-of-block, the 1-bit code 0.
    let mut dht_ac = vec![0x10];
    dht_ac.extend([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    dht_ac.push(0x00);
    segment(&mut out, 0xc4, &dht_ac);
    segment(&mut out, 0xda, &[1, 1, 0x00, 0, 63, 0]);

    let seed = fnv(slot.as_bytes(), second);
    let mut bits = Bits { out: Vec::new(), acc: 0, n: 0 };
    let mut prev = 0i32;
    let blocks = (WIDTH / 8) * (HEIGHT / 8);
    for i in 0..blocks {
        // A shade per block: a gradient shifted by the second, mixed with the slot's hash.
        let mix = (seed >> (i % 57)) as u8 & 0x3f;
        let level = (i * 4 + (second % 64) as usize) as u8 ^ mix;
        let dc = i32::from(level) - 128;
        let diff = dc - prev;
        prev = dc;
        let cat = 32 - diff.unsigned_abs().leading_zeros();
        bits.put(cat, 4);
        if cat > 0 {
            let v = if diff > 0 { diff as u32 } else { (diff - 1) as u32 & ((1 << cat) - 1) };
            bits.put(v, cat);
        }
        bits.put(0, 1); // end of block
    }
    out.extend(bits.finish());
    out.extend_from_slice(&[0xff, 0xd9]);
    out
}
