//! Finding the control WebSocket port through the web manager's `config.json` (PROTOCOL.md §1).

use crate::json::{i64_of, str_of};
use crate::{Error, Result};
use serde_json::Value;
use std::time::Duration;

/// What `config.json` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Host to open the WebSocket on (the discovery host unless the room names another).
    pub ws_host: String,
    pub ws_port: u16,
    pub http_port: Option<u16>,
}

/// `host` as it goes in a URL (IPv6 literals in brackets).
pub(crate) fn url_host(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

pub(crate) fn config_url(host: &str, web_port: u16, instance: &str) -> String {
    format!("http://{}:{web_port}/public/{instance}/config.json", url_host(host))
}

/// Reads the endpoints from a `config.json` body.
pub fn parse_config(host: &str, body: &Value) -> std::result::Result<Endpoints, String> {
    let config = body.get("config").ok_or("no 'config' object")?;
    let ws = config.get("websocket").ok_or("no 'config.websocket' object")?;
    let port = i64_of(ws, &["port"]).ok_or("no 'config.websocket.port' number")?;
    let ws_port =
        u16::try_from(port).ok().filter(|p| *p != 0).ok_or(format!("websocket port {port} is out of range"))?;
    let http_port = config.get("http").and_then(|h| i64_of(h, &["port"])).and_then(|p| u16::try_from(p).ok());
    let ws_host = str_of(ws, &["hostname"]).filter(|h| !h.is_empty()).unwrap_or_else(|| host.to_owned());
    Ok(Endpoints { ws_host, ws_port, http_port })
}

/// `GET http://host:web_port/public/<instance>/config.json`, within `timeout`.
pub async fn discover(host: &str, web_port: u16, instance: &str, timeout: Duration) -> Result<Endpoints> {
    let url = config_url(host, web_port, instance);
    let fail = |reason: String| Error::Discovery { url: url.clone(), reason };
    let client = reqwest::Client::builder().no_proxy().timeout(timeout).build().map_err(|e| fail(e.to_string()))?;
    let response =
        client.get(&url).send().await.map_err(|e| {
            fail(if e.is_timeout() { format!("no answer within {timeout:?}") } else { error_chain(&e) })
        })?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(format!("HTTP status {status}")));
    }
    let bytes = response.bytes().await.map_err(|e| fail(error_chain(&e)))?;
    let body: Value = serde_json::from_slice(&bytes).map_err(|e| fail(format!("not JSON: {e}")))?;
    parse_config(host, &body).map_err(fail)
}

/// reqwest's top-level message is vague ("error sending request"); the cause says what happened.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_sample() {
        let body = json!({"config":{"websocket":{"hostname":null,"port":8765},"http":{"hostname":null,"port":8766}}});
        let e = parse_config("10.0.0.5", &body).unwrap();
        assert_eq!(e, Endpoints { ws_host: "10.0.0.5".into(), ws_port: 8765, http_port: Some(8766) });
    }

    #[test]
    fn a_named_host_wins() {
        let body = json!({"config":{"websocket":{"hostname":"room.local","port":9000}}});
        let e = parse_config("10.0.0.5", &body).unwrap();
        assert_eq!((e.ws_host.as_str(), e.ws_port, e.http_port), ("room.local", 9000, None));
    }

    #[test]
    fn rejects_missing_or_bad_ports() {
        assert!(parse_config("h", &json!({})).is_err());
        assert!(parse_config("h", &json!({"config":{"websocket":{"port":"x"}}})).is_err());
        assert!(parse_config("h", &json!({"config":{"websocket":{"port":70000}}})).is_err());
    }

    #[test]
    fn brackets_ipv6() {
        assert_eq!(config_url("::1", 80, "default"), "http://[::1]:80/public/default/config.json");
    }
}
