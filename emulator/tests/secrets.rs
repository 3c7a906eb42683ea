//! The emulator never logs a PIN or a token, even at trace level (issue 10, defect 14): the
//! binary runs with RUST_LOG=trace, a client authorizes with the PIN, and stderr is searched.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn no_secret_in_the_trace_log() {
    let pin = "7319-secret-pin";
    let mut child = Command::new(env!("CARGO_BIN_EXE_tcroom-emulator"))
        .args(["--pin", pin])
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("emulator starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("ports line");
    let ports: serde_json::Value = serde_json::from_str(&first).expect("ports JSON");
    let url = format!("ws://127.0.0.1:{}/", ports["ws_port"]);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("connects");
    let auth = serde_json::json!({"method": "auth", "requestId": "1", "type": "secured", "credentials": pin});
    ws.send(Message::Text(auth.to_string().into())).await.expect("send");
    let reply = tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("a reply").expect("frame");
    let reply = reply.expect("ok").into_text().expect("text");
    let reply: serde_json::Value = serde_json::from_str(&reply).expect("JSON");
    assert_eq!(reply["result"], true, "{reply}");
    let token = reply["token"].as_str().expect("a token").to_owned();
    let http_token = reply["tokenForHttpServer"].as_str().expect("an HTTP token").to_owned();
    let get = serde_json::json!({"method": "getTokenForHttpServer", "requestId": "2"});
    ws.send(Message::Text(get.to_string().into())).await.expect("send");
    let _ = tokio::time::timeout(Duration::from_secs(10), ws.next()).await;
    let _ = ws.close(None).await;
    let _ = child.kill();
    let mut log = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut log).expect("log");
    let _ = child.wait();
    assert!(!log.is_empty(), "the trace log says something");
    for secret in [pin, token.as_str(), http_token.as_str()] {
        assert!(!log.contains(secret), "a secret is in the log:\n{log}");
    }
}
