//! Ctrl-C. The handler is installed once, when the runtime starts, so that a Ctrl-C is never
//! lost between two waits: the waits that can clean up (stop calling, end a watch) see it and
//! return; anything else gets a short grace and then the process ends. A second Ctrl-C ends it
//! at once.

use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::watch;

/// How long a command may take to finish after Ctrl-C.
pub const GRACE: Duration = Duration::from_secs(3);

static COUNT: OnceLock<watch::Sender<u32>> = OnceLock::new();

fn sender() -> &'static watch::Sender<u32> {
    COUNT.get_or_init(|| watch::channel(0).0)
}

/// Starts listening (in a runtime). On Unix the handler is in place when this returns.
pub fn listen() {
    let tx = sender();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::interrupt()) {
            Ok(mut sigint) => {
                tokio::spawn(async move {
                    while sigint.recv().await.is_some() {
                        tx.send_modify(|n| *n += 1);
                    }
                });
            }
            // No handler: Ctrl-C keeps its default effect (the process ends).
            Err(e) => tracing::warn!(error = %e, "cannot listen for Ctrl-C"),
        }
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        while tokio::signal::ctrl_c().await.is_ok() {
            tx.send_modify(|n| *n += 1);
        }
    });
}

/// Resolves once Ctrl-C has been pressed `times` times in all.
pub async fn pressed(times: u32) {
    let mut rx = sender().subscribe();
    // An error means the sender is gone, which a static never is; then never resolve.
    if rx.wait_for(|n| *n >= times).await.is_err() {
        std::future::pending::<()>().await;
    }
}
