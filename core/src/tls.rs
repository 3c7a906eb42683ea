//! TLS for rooms published behind a TLS proxy: `wss://` for the control connection, `https://`
//! for discovery and the embedded HTTP server. Certificates are checked against the system's
//! roots, or only against the CA the caller gives; checking is turned off only by name
//! (`danger_accept_invalid_certs`).

use crate::{Error, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;

/// How to talk TLS to the room.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tls {
    /// Trust only the certificates of this PEM file (a private CA); `None`: the system's roots.
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate, for any name. Only for a lab: anyone between the client and the
    /// room can then read the PIN.
    pub danger_accept_invalid_certs: bool,
}

impl Tls {
    /// TLS with the system's roots.
    pub fn system() -> Tls {
        Tls::default()
    }

    /// TLS trusting only the CA certificates in `pem_file`.
    pub fn with_ca(pem_file: impl Into<PathBuf>) -> Tls {
        Tls { ca_file: Some(pem_file.into()), danger_accept_invalid_certs: false }
    }

    /// The rustls configuration these options describe.
    pub(crate) fn client_config(&self) -> Result<Arc<ClientConfig>> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::InvalidArgument(format!("TLS: {e}")))?;
        let config = if self.danger_accept_invalid_certs {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnything(provider)))
                .with_no_client_auth()
        } else {
            builder.with_root_certificates(self.roots()?).with_no_client_auth()
        };
        Ok(Arc::new(config))
    }

    fn roots(&self) -> Result<RootCertStore> {
        let mut roots = RootCertStore::empty();
        match &self.ca_file {
            Some(path) => {
                let bad = |why: String| Error::InvalidArgument(format!("TLS CA file {}: {why}", path.display()));
                let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
                use rustls::pki_types::pem::PemObject;
                let mut n = 0;
                for cert in CertificateDer::pem_slice_iter(&pem) {
                    roots.add(cert.map_err(|e| bad(e.to_string()))?).map_err(|e| bad(e.to_string()))?;
                    n += 1;
                }
                if n == 0 {
                    return Err(bad("no certificate in it".into()));
                }
            }
            None => {
                let found = rustls_native_certs::load_native_certs();
                for cert in found.certs {
                    // A system certificate rustls cannot use is skipped, as browsers do.
                    let _ = roots.add(cert);
                }
                if roots.is_empty() {
                    return Err(Error::InvalidArgument(
                        "TLS: no system root certificates found; give the room's CA file".into(),
                    ));
                }
            }
        }
        Ok(roots)
    }
}

/// A configuration for HTTP clients that do not talk TLS: reqwest is built without a default
/// crypto provider (we bring ring), so every client is given one; it trusts nothing.
pub(crate) fn no_tls() -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::InvalidArgument(format!("TLS: {e}")))?;
    Ok(builder.with_root_certificates(RootCertStore::empty()).with_no_client_auth())
}

/// Accepts any certificate (signatures are still checked, so the handshake is well-formed).
#[derive(Debug)]
struct AcceptAnything(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
