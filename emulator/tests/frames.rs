//! Frames of the embedded HTTP server and its tokens.

mod common;

use std::time::Duration;

use common::{create_conference, http_get_bytes, invite_joined, room_config, start, Client, WAIT};
use serde_json::json;
use tcroom_emulator::{AuthMode, Emulator, EmulatorConfig};

/// Walks the JPEG's segments: (width, height, components, COM text); panics when malformed.
fn jpeg_info(b: &[u8]) -> (u16, u16, u8, String) {
    assert_eq!(&b[..2], [0xff, 0xd8], "SOI");
    assert_eq!(&b[b.len() - 2..], [0xff, 0xd9], "EOI");
    let (mut i, mut size, mut comment) = (2, None, String::new());
    loop {
        assert_eq!(b[i], 0xff, "a marker at {i}");
        let marker = b[i + 1];
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let body = &b[i + 4..i + 2 + len];
        match marker {
            0xc0 => {
                assert_eq!(body[0], 8, "8-bit samples");
                size = Some((u16::from_be_bytes([body[1], body[2]]), u16::from_be_bytes([body[3], body[4]]), body[5]));
            }
            0xfe => comment = String::from_utf8_lossy(body).to_string(),
            0xda => break,
            _ => {}
        }
        i += 2 + len;
    }
    let (h, w, n) = size.expect("a baseline SOF0 before the scan");
    (w, h, n, comment)
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn frame(emu: &Emulator, slot: &str, token: &str) -> (u16, String, Vec<u8>) {
    http_get_bytes(emu.host(), emu.http_port(), &format!("/frames/?peerId={}&token={token}&hash=42", enc(slot))).await
}

async fn auth_token(c: &mut Client) -> String {
    let r = c.ok("auth", json!({"type": "unsecured"})).await;
    r["tokenForHttpServer"].as_str().expect("tokenForHttpServer").to_string()
}

#[tokio::test]
async fn frames_are_small_jpegs_per_slot() {
    let emu = start(room_config()).await;
    let mut c = Client::connect(&emu).await;
    let token = auth_token(&mut c).await;
    let (status, head, own) = frame(&emu, "#self:0", &token).await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: image/jpeg"), "{head}");
    let (w, h, n, comment) = jpeg_info(&own);
    assert_eq!((w, h, n), (64, 48, 1));
    assert!(comment.contains("slot=#self:0") && comment.contains("second="), "{comment}");
    assert!(own.len() < 1024, "small: {} bytes", own.len());

    create_conference(&mut c, json!({"title": "t", "confType": "symmetric"})).await;
    let peer = invite_joined(&mut c, "user1").await["peerId"].as_str().unwrap_or("").to_string();
    let (status, _, theirs) = frame(&emu, &peer, &token).await;
    assert_eq!(status, 200);
    assert!(jpeg_info(&theirs).3.contains(&format!("slot={peer}")));
    assert_ne!(own, theirs);

    // Unknown slots, and slots that went, are 404; a missing peerId is 400.
    assert_eq!(frame(&emu, "ghost@some.server/1", &token).await.0, 404);
    c.ok("kickPeer", json!({"peerId": peer})).await;
    assert_eq!(frame(&emu, &peer, &token).await.0, 404);
    let (status, ..) = http_get_bytes(emu.host(), emu.http_port(), &format!("/frames/?token={token}")).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn frames_change_every_second() {
    let emu = start(room_config()).await;
    let mut c = Client::connect(&emu).await;
    let token = auth_token(&mut c).await;
    let (_, _, first) = frame(&emu, "#self:0", &token).await;
    let first_comment = jpeg_info(&first).3;
    // Poll (bounded) until the emulator's clock passes to the next second.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (_, _, next) = frame(&emu, "#self:0", &token).await;
        if jpeg_info(&next).3 != first_comment {
            assert_ne!(next, first);
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the frame never changed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn tokens_are_checked_and_can_be_expired() {
    let emu = start(room_config()).await;
    let mut c = Client::connect(&emu).await;
    let auth = auth_token(&mut c).await;
    let (status, head, _) = http_get_bytes(emu.host(), emu.http_port(), "/frames/?peerId=%23self%3A0").await;
    assert_eq!(status, 403);
    assert!(head.contains("application/json"), "{head}");
    assert_eq!(frame(&emu, "#self:0", "nope").await.0, 403);

    let r = c.ok("getTokenForHttpServer", json!({})).await;
    let fresh = r["token"].as_str().expect("token").to_string();
    assert_eq!(r.as_object().map(|m| m.len()), Some(4), "{r}");
    assert_ne!(fresh, auth);
    assert_eq!(frame(&emu, "#self:0", &fresh).await.0, 200);
    assert_eq!(frame(&emu, "#self:0", &auth).await.0, 200);

    c.action("expireHttpTokens", json!({})).await;
    assert_eq!(frame(&emu, "#self:0", &auth).await.0, 403);
    assert_eq!(frame(&emu, "#self:0", &fresh).await.0, 403);
    let again = c.ok("getTokenForHttpServer", json!({})).await["token"].as_str().unwrap_or("").to_string();
    assert_eq!(frame(&emu, "#self:0", &again).await.0, 200);
    emu.expire_http_tokens();
    assert_eq!(frame(&emu, "#self:0", &again).await.0, 403);
    c.quiet().await;
}

#[tokio::test]
async fn tokens_expire_after_their_lifetime() {
    let cfg = EmulatorConfig { http_token_lifetime: Duration::from_millis(200), ..room_config() };
    let emu = start(cfg).await;
    let mut c = Client::connect(&emu).await;
    let token = auth_token(&mut c).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while frame(&emu, "#self:0", &token).await.0 == 200 {
        assert!(tokio::time::Instant::now() < deadline, "the token never expired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(frame(&emu, "#self:0", &token).await.0, 403);
}

#[tokio::test]
async fn under_a_pin_tokens_do_not_expire() {
    let cfg = EmulatorConfig {
        auth: AuthMode::Pin("1234".into()),
        http_token_lifetime: Duration::from_millis(1),
        ..room_config()
    };
    let emu = start(cfg).await;
    let mut c = Client::connect(&emu).await;
    let r = c.ok("auth", json!({"type": "secured", "credentials": "1234"})).await;
    let token = r["tokenForHttpServer"].as_str().unwrap_or("").to_string();
    // Waiting out a lifetime that must NOT apply.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(frame(&emu, "#self:0", &token).await.0, 200);
}

#[tokio::test]
async fn the_embedded_root_still_checks_tokens() {
    let emu = start(room_config()).await;
    let mut c = Client::connect(&emu).await;
    let token = auth_token(&mut c).await;
    let (status, ..) = http_get_bytes(emu.host(), emu.http_port(), &format!("/?token={token}")).await;
    assert_eq!(status, 200);
    emu.expire_http_tokens();
    let (status, ..) = http_get_bytes(emu.host(), emu.http_port(), &format!("/?token={token}")).await;
    assert_eq!(status, 401);
}
