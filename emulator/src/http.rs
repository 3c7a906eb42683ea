//! The web manager port (discovery) and the embedded HTTP server port.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
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

/// Frames (PROTOCOL.md §10) under `/frames/`; elsewhere only the token check, enough for a
/// client to see the port is real.
pub(crate) fn embedded_router(shared: Arc<Shared>) -> Router {
    Router::new().route("/frames/", get(frames)).route("/frames", get(frames)).fallback(embedded).with_state(shared)
}

fn refuse(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({"result": false, "error": error}))).into_response()
}

/// `GET /frames/?peerId=<slot id>&token=<token>`: a JPEG of the slot now; 403 without a live
/// token, 404 for a slot the room's video matrix does not have. Other parameters are ignored.
async fn frames(State(shared): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let room = q.get("token").and_then(|t| shared.http_token_room(t)).and_then(|r| r.upgrade());
    let Some(room) = room else {
        return refuse(StatusCode::FORBIDDEN, "forbidden: pass a live ?token=<tokenForHttpServer>");
    };
    let Some(slot) = q.get("peerId") else {
        return refuse(StatusCode::BAD_REQUEST, "missing ?peerId=<video slot id>");
    };
    if !lock(&room).has_slot(slot) {
        return refuse(StatusCode::NOT_FOUND, "no such video slot");
    }
    let second = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "no-store")], crate::frames::jpeg(slot, second))
        .into_response()
}

async fn embedded(State(shared): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let ok = q.get("token").is_some_and(|t| shared.http_token_room(t).is_some());
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
