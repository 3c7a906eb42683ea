//! Frames from the room's embedded HTTP server (PROTOCOL.md §10): one JPEG still of a video
//! slot per request, with the token fetched and refreshed by the client.

use crate::options::CallOptions;
use crate::{Client, Error, Result};
use std::time::{Duration, Instant};

/// The slot of our own camera.
pub const SELF_SLOT: &str = "#self:0";

/// A token older than this is renewed before use (the room's live 5 minutes).
const TOKEN_MAX_AGE: Duration = Duration::from_secs(240);

/// The largest frame accepted.
const MAX_FRAME_BYTES: usize = 32 << 20;

/// The fastest `frames()` may poll.
const MAX_FPS: f64 = 60.0;

fn http_error(slot: &str, status: reqwest::StatusCode) -> Error {
    let message = format!("the embedded HTTP server answered {status} for the frame of '{slot}'");
    match status.as_u16() {
        401 | 403 => Error::Auth { code: Some(i64::from(status.as_u16())), message },
        400 | 404 => Error::Refused { method: "frames".into(), message, raw: serde_json::Value::Null },
        _ => Error::Protocol(message),
    }
}

impl Client {
    /// One still of video slot `slot_id` (`#self:0` is our camera; other ids come from
    /// `get_video_matrix`), as the bytes of a JPEG.
    ///
    /// ```no_run
    /// # async fn demo(room: &tcroom_core::Client) -> tcroom_core::Result<()> {
    /// let jpeg = room.frame(tcroom_core::SELF_SLOT).await?;
    /// std::fs::write("self.jpg", &jpeg).expect("writable");
    /// # Ok(()) }
    /// ```
    pub async fn frame(&self, slot_id: &str) -> Result<Vec<u8>> {
        self.frame_with(slot_id, &CallOptions::default()).await
    }

    /// [`frame`](Self::frame) with options for this call (the time-out bounds the whole fetch,
    /// a token refresh included).
    pub async fn frame_with(&self, slot_id: &str, opts: &CallOptions) -> Result<Vec<u8>> {
        if slot_id.trim().is_empty() {
            return Err(Error::InvalidArgument("frame: the slot id is empty".into()));
        }
        let t = opts.timeout.unwrap_or_else(|| self.default_timeout());
        match tokio::time::timeout(t, self.fetch_frame(slot_id, t)).await {
            Ok(r) => r,
            Err(_) => Err(Error::Timeout { method: "frame".into(), after: t }),
        }
    }

    async fn fetch_frame(&self, slot: &str, t: Duration) -> Result<Vec<u8>> {
        let (host, port) = self.session.http_endpoint()?;
        let base = format!("{}://{}:{port}/frames/", self.session.http_scheme(), crate::discovery::url_host(&host));
        let mut stale = false;
        loop {
            let token = self.session.http_token(TOKEN_MAX_AGE, stale, t).await?;
            let mut url =
                reqwest::Url::parse(&base).map_err(|e| Error::Protocol(format!("bad frames URL {base}: {e}")))?;
            url.query_pairs_mut().append_pair("peerId", slot).append_pair("token", token.expose());
            let fail = |e: reqwest::Error| Error::Connect { url: base.clone(), reason: e.to_string() };
            let mut response = self.session.http()?.get(url).send().await.map_err(fail)?;
            let status = response.status();
            if matches!(status.as_u16(), 401 | 403) && !stale {
                // The token expired or was revoked: one more try with a fresh one.
                stale = true;
                continue;
            }
            if !status.is_success() {
                return Err(http_error(slot, status));
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(fail)? {
                if body.len() + chunk.len() > MAX_FRAME_BYTES {
                    return Err(Error::Protocol(format!(
                        "the frame of '{slot}' is larger than {MAX_FRAME_BYTES} bytes"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            return Ok(body);
        }
    }

    /// Frames of slot `slot_id`, `fps` per second at most (up to 60), until the client is
    /// closed. A failed fetch is an `Err` item; the stream goes on.
    pub fn frames(&self, slot_id: &str, fps: f64) -> Result<FrameStream> {
        if !(fps > 0.0 && fps <= MAX_FPS) {
            return Err(Error::InvalidArgument(format!("frames: fps must be within (0, {MAX_FPS}], got {fps}")));
        }
        if slot_id.trim().is_empty() {
            return Err(Error::InvalidArgument("frames: the slot id is empty".into()));
        }
        Ok(FrameStream {
            client: self.clone(),
            slot: slot_id.to_owned(),
            period: Duration::from_secs_f64(1.0 / fps),
            next: None,
        })
    }
}

/// Frames of one slot at a steady pace; see [`Client::frames`].
pub struct FrameStream {
    client: Client,
    slot: String,
    period: Duration,
    next: Option<Instant>,
}

impl FrameStream {
    /// The next frame, after waiting for its turn; `None` once the client is closed.
    pub async fn next(&mut self) -> Option<Result<Vec<u8>>> {
        if self.client.session.closed.load(std::sync::atomic::Ordering::SeqCst) {
            return None;
        }
        if let Some(at) = self.next {
            tokio::time::sleep_until(at.into()).await;
        }
        // Paced from the start of each fetch; a slow fetch delays the next, never bunches them.
        self.next = Some(Instant::now() + self.period);
        match self.client.frame(&self.slot).await {
            Err(Error::Closed) => None,
            other => Some(other),
        }
    }

    /// The slot it follows.
    pub fn slot(&self) -> &str {
        &self.slot
    }
}
