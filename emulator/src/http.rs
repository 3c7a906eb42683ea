//! The web manager port (discovery) and the embedded HTTP server port.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::shared::{lock, Shared};

pub(crate) fn web_router(shared: Arc<Shared>, ws_port: u16) -> Router {
    Router::new()
        .route("/public/{instance}/config.json", get(discovery))
        .fallback(not_found)
        .with_state((shared, ws_port))
}

async fn discovery(State((shared, ws_port)): State<(Arc<Shared>, u16)>, Path(instance): Path<String>) -> Response {
    if instance != shared.config.instance {
        return not_found().await;
    }
    Json(json!({"config": {
        "websocket": {"hostname": null, "port": ws_port},
        "http": {"hostname": null, "port": shared.http_port},
    }}))
    .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"error": "not found"}))).into_response()
}

/// Only the token check is modelled: enough for a client to see the port is real.
pub(crate) fn embedded_router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(embedded).with_state(shared)
}

async fn embedded(State(shared): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let ok = q.get("token").is_some_and(|t| lock(&shared.http_tokens).contains(t));
    if ok {
        Json(json!({"result": true})).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"result": false, "error": "unauthorized: pass ?token=<tokenForHttpServer>"})),
        )
            .into_response()
    }
}
