//! TLS: `wss://` and `https://` discovery, against a TLS terminator the test starts in front of
//! the emulator, with a certificate of a CA made for the test.

mod common;

use common::*;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use std::net::SocketAddr;
use std::sync::Arc;
use tcroom_core::{Client, ConnectOptions, ErrorKind, Tls};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

struct Pki {
    ca_pem: String,
    acceptor: TlsAcceptor,
}

/// A CA, and a certificate it signed for 127.0.0.1 and localhost.
fn pki() -> Pki {
    let ca_key = KeyPair::generate().expect("key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "tcroom test CA");
    let ca_cert = ca.self_signed(&ca_key).expect("CA");
    let leaf_key = KeyPair::generate().expect("key");
    let leaf = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).expect("params");
    let issuer = rcgen::Issuer::from_params(&ca, &ca_key);
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).expect("leaf");
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf_cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .expect("server config");
    Pki { ca_pem: ca_cert.pem(), acceptor: TlsAcceptor::from(Arc::new(config)) }
}

/// Terminates TLS on a free port and forwards the bytes to `backend`.
async fn tls_proxy(acceptor: TlsAcceptor, backend: SocketAddr) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let Ok(mut plain) = TcpStream::connect(backend).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    port
}

/// An HTTPS server answering every request with `config.json` naming `ws_port`.
async fn tls_config_server(acceptor: TlsAcceptor, ws_port: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let body = format!(
        r#"{{"config":{{"websocket":{{"hostname":null,"port":{ws_port}}},"http":{{"hostname":null,"port":1}}}}}}"#
    );
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, body) = (acceptor.clone(), body.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut buf = vec![0u8; 4096];
                let mut got = 0;
                while !buf[..got].windows(4).any(|w| w == b"\r\n\r\n") && got < buf.len() {
                    match tls.read(&mut buf[got..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got += n,
                    }
                }
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

fn ca_file(pem: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("tcroom-test-ca-{}-{}.pem", std::process::id(), rand_suffix()));
    std::fs::write(&path, pem).expect("write CA");
    path
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}

#[tokio::test]
async fn wss_with_the_rooms_ca_works_and_a_stranger_is_refused() {
    let emu = emulator(tcroom_emulator::EmulatorConfig::default()).await;
    let pki = pki();
    let backend: SocketAddr = format!("{}:{}", emu.host(), emu.ws_port()).parse().expect("addr");
    let port = tls_proxy(pki.acceptor.clone(), backend).await;
    let ca = ca_file(&pki.ca_pem);

    let client = Client::connect(ConnectOptions::new("127.0.0.1").ws_port(port).tls(Tls::with_ca(&ca)))
        .await
        .expect("connects over wss");
    assert!(client.url().starts_with("wss://"), "{}", client.url());
    assert_eq!(client.get_app_state().await.expect("a command over TLS").app_state.code(), 3);
    client.close().await;

    // The system's roots do not know the test CA: refused, with a reason that says why.
    let err = Client::connect(ConnectOptions::new("127.0.0.1").ws_port(port).tls(Tls::system())).await.err();
    let err = err.expect("an unknown certificate is refused");
    assert!(matches!(err.kind(), ErrorKind::Connection | ErrorKind::InvalidArgument), "{err}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");

    // Checking turned off by name: accepted.
    let tls = Tls { ca_file: None, danger_accept_invalid_certs: true };
    let client = Client::connect(ConnectOptions::new("127.0.0.1").ws_port(port).tls(tls)).await.expect("accepted");
    client.close().await;
    let _ = std::fs::remove_file(ca);
}

#[tokio::test]
async fn https_discovery_leads_to_wss() {
    let emu = emulator(tcroom_emulator::EmulatorConfig::default()).await;
    let pki = pki();
    let backend: SocketAddr = format!("{}:{}", emu.host(), emu.ws_port()).parse().expect("addr");
    let ws_port = tls_proxy(pki.acceptor.clone(), backend).await;
    let web_port = tls_config_server(pki.acceptor.clone(), ws_port).await;
    let ca = ca_file(&pki.ca_pem);
    let client = Client::connect(ConnectOptions::new("127.0.0.1").web_port(web_port).tls(Tls::with_ca(&ca)))
        .await
        .expect("discovers over https, connects over wss");
    assert_eq!(client.url(), format!("wss://127.0.0.1:{ws_port}/"));
    client.close().await;

    // Plain http to a TLS port: a clear discovery error, not a hang.
    let err = Client::connect(ConnectOptions::new("127.0.0.1").web_port(web_port)).await.err().expect("refused");
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    let _ = std::fs::remove_file(ca);
}
