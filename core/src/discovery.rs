//! Finding the control WebSocket port through the web manager's `config.json` (PROTOCOL.md §1).

use crate::json::{i64_of, str_of};
use crate::{Error, Result};
use serde_json::Value;
use std::time::Duration;

/// The most of `config.json` that is read: a real one is a few hundred bytes, and a room (or
/// whatever answers in its place) must not make the client read gigabytes.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

/// Redirects followed at most.
const MAX_REDIRECTS: usize = 5;

/// Checks that `host` is a plain host name or address: nothing that changes the URL it goes in
/// (`127.0.0.1/evil?x=`, user info, a port).
pub fn check_host(host: &str) -> std::result::Result<(), String> {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.is_empty() {
        return Err("the host is empty".into());
    }
    if h.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    let ok = h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !label.starts_with('-')
        });
    if ok {
        Ok(())
    } else {
        Err(format!("'{host}' is not a host name or address"))
    }
}

/// What `config.json` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Host to open the WebSocket on (the discovery host unless the room names another).
    pub ws_host: String,
    /// `config.websocket.port`: the control WebSocket port (8765 by default).
    pub ws_port: u16,
    /// `config.http.port`: the embedded HTTP server's port (8766 by default), when given.
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

#[cfg(test)]
pub(crate) fn config_url(host: &str, web_port: u16, instance: &str) -> String {
    config_url_with(host, web_port, instance, false)
}

fn config_url_with(host: &str, web_port: u16, instance: &str, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{}:{web_port}/public/{instance}/config.json", url_host(host))
}

/// Reads the endpoints from a `config.json` body. A `hostname` naming another host is taken
/// only when `follow_other_host` is set (and must be a plain host name); otherwise the
/// WebSocket is opened on `host`, and the difference is logged.
pub fn parse_config_with(host: &str, body: &Value, follow_other_host: bool) -> std::result::Result<Endpoints, String> {
    let mut e = parse_config(host, body)?;
    if e.ws_host != host {
        check_host(&e.ws_host).map_err(|why| format!("config.json names a bad WebSocket host: {why}"))?;
        if !follow_other_host {
            tracing::info!(named = %e.ws_host, "config.json names another host for the WebSocket; staying on the discovery host (follow_other_host is off)");
            e.ws_host = host.to_owned();
        }
    }
    Ok(e)
}

/// Reads the endpoints from a `config.json` body, taking a `hostname` it names as it is.
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

/// How to reach the web manager.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Follow a `config.json` naming another host, or a redirect to another host.
    pub follow_other_host: bool,
    /// `https://` with this TLS configuration.
    pub tls: Option<std::sync::Arc<rustls::ClientConfig>>,
}

/// `GET http://host:web_port/public/<instance>/config.json` (`https` with TLS), all within
/// `timeout`. Redirects to another host are followed only with `follow_other_host`.
pub async fn discover(
    host: &str,
    web_port: u16,
    instance: &str,
    timeout: Duration,
    how: &Discovery,
) -> Result<Endpoints> {
    let follow_other_host = how.follow_other_host;
    let url = config_url_with(host, web_port, instance, how.tls.is_some());
    let fail = |reason: String| Error::Discovery { url: url.clone(), reason };
    check_host(host).map_err(fail)?;
    let home = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        let same =
            attempt.url().host_str().map(|h| h.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase())
                == Some(home.clone());
        if same || follow_other_host {
            attempt.follow()
        } else {
            let to = attempt.url().host_str().unwrap_or("?").to_owned();
            attempt.error(format!("redirected to another host ({to}); set follow_other_host to allow it"))
        }
    });
    let tls = match &how.tls {
        Some(tls) => (**tls).clone(),
        None => crate::tls::no_tls().map_err(|e| fail(e.to_string()))?,
    };
    let builder =
        reqwest::Client::builder().no_proxy().redirect(policy).timeout(timeout).tls_backend_preconfigured(tls);
    let client = builder.build().map_err(|e| fail(e.to_string()))?;
    let exchange = async {
        let mut response = client.get(&url).send().await.map_err(|e| fail(error_chain(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(fail(format!("HTTP status {status}")));
        }
        // Read in chunks and stop at the cap: the length header may lie or be absent.
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| fail(error_chain(&e)))? {
            if body.len() + chunk.len() > MAX_CONFIG_BYTES {
                return Err(fail(format!("config.json is larger than {MAX_CONFIG_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    };
    let bytes = match tokio::time::timeout(timeout, exchange).await {
        Ok(r) => r?,
        Err(_) => return Err(fail(format!("no answer within {timeout:?}"))),
    };
    let body: Value = serde_json::from_slice(&bytes).map_err(|e| fail(format!("not JSON: {e}")))?;
    parse_config_with(host, &body, follow_other_host).map_err(fail)
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
    fn another_host_is_taken_only_when_asked_and_must_be_a_host() {
        let body = json!({"config":{"websocket":{"hostname":"other.example","port":9000}}});
        assert_eq!(parse_config_with("10.0.0.5", &body, false).unwrap().ws_host, "10.0.0.5");
        assert_eq!(parse_config_with("10.0.0.5", &body, true).unwrap().ws_host, "other.example");
        let evil = json!({"config":{"websocket":{"hostname":"127.0.0.1/evil?x=","port":9000}}});
        assert!(parse_config_with("10.0.0.5", &evil, true).is_err());
        assert!(check_host("room.local").is_ok() && check_host("::1").is_ok() && check_host("[::1]").is_ok());
        assert!(check_host("a b").is_err() && check_host("u@h").is_err() && check_host("h:80").is_err());
    }

    #[test]
    fn brackets_ipv6() {
        assert_eq!(config_url("::1", 80, "default"), "http://[::1]:80/public/default/config.json");
    }
}
