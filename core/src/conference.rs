//! Two-phase completion of `createConference`: accepted now, started later.

use crate::event::EventKind;
use crate::model::{AppState, Conference};
use crate::params::CreateConference;
use crate::session::Session;
use crate::stream::{EventStream, StreamItem};
use crate::{Error, Result};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// How long to wait for `conferenceCreated` once `appStateChanged` 5 has said the conference
/// is up: the details come from the former, but a room that never sends it must not hang us.
const DETAILS_GRACE: Duration = Duration::from_secs(2);

/// A conference the room has accepted to create. [`wait`](Self::wait) for it to start.
pub struct PendingConference {
    session: Arc<Session>,
    /// For the participant list a room that does not announce details is asked for.
    timeout: Duration,
    events: EventStream,
    reply: Value,
    params: CreateConference,
}

impl PendingConference {
    pub(crate) fn new(
        session: Arc<Session>,
        timeout: Duration,
        events: EventStream,
        reply: Value,
        params: CreateConference,
    ) -> Self {
        PendingConference { session, timeout, events, reply, params }
    }

    /// The room's reply to `createConference` (`result: true`).
    pub fn reply(&self) -> &Value {
        &self.reply
    }

    /// Waits for `conferenceCreated` (or `appStateChanged` to 5) for up to `timeout`.
    pub async fn wait(mut self, timeout: Duration) -> Result<Conference> {
        let deadline = Instant::now() + timeout;
        let mut started_at: Option<Instant> = None;
        loop {
            let until = match started_at {
                Some(t) => deadline.min(t + DETAILS_GRACE),
                None => deadline,
            };
            let item = match tokio::time::timeout_at(until, self.events.recv()).await {
                Ok(item) => item,
                Err(_) if started_at.is_some() => return self.without_details().await,
                Err(_) => {
                    return Err(Error::Timeout {
                        method: "createConference (waiting for conferenceCreated)".into(),
                        after: timeout,
                    })
                }
            };
            match item {
                Some(StreamItem::Event(ev)) => match &ev.kind {
                    EventKind::ConferenceCreated(c) => return Ok(c.clone()),
                    EventKind::AppStateChanged(s) if s.app_state == AppState::Conference => {
                        started_at.get_or_insert_with(Instant::now);
                    }
                    EventKind::Disconnected { reason } => return Err(Error::Disconnected { reason: reason.clone() }),
                    // The announcement may have been lost with the old link: ask the room.
                    EventKind::Reconnected { .. }
                        if self.session.publisher.state().read(|s| s.app_state == Some(AppState::Conference)) =>
                    {
                        return self.without_details().await
                    }
                    _ => {}
                },
                // Events were dropped for us: the mirror saw them all.
                Some(StreamItem::Lagged(_)) => {
                    if let Some(c) = self.session.publisher.state().read(|s| s.conference.clone()) {
                        return Ok(c);
                    }
                }
                None => return Err(Error::Disconnected { reason: "event stream ended".into() }),
            }
        }
    }

    /// The room said it is in a conference but not which: ask it.
    async fn without_details(self) -> Result<Conference> {
        if let Some(mut c) = self.session.publisher.state().read(|s| s.conference.clone()) {
            // Known from the participants' reply, which names it only: we know what we asked for.
            if c.title.is_none() && c.conf_type.is_none() {
                c.title = Some(self.params.title.clone());
                c.conf_type = Some(self.params.conf_type);
            }
            return Ok(c);
        }
        let reply = self.session.request("getConferenceParticipants", Map::new(), self.timeout).await?;
        let conf_id = crate::json::str_of(&reply, &["confId"]);
        let conf_id =
            conf_id.ok_or_else(|| Error::Protocol("in a conference, but the room does not say which".into()))?;
        Ok(Conference {
            conf_id,
            title: Some(self.params.title.clone()),
            conf_type: Some(self.params.conf_type),
            owner: self.session.publisher.state().read(|s| s.own_peer_id.clone()),
            peer_id: None,
            join_url: None,
            management_url: None,
            is_smart_meeting: self.params.smart_meeting,
            waiting_room_switching_supported: false,
            waiting_room_enabled: self.params.use_waiting_room,
            in_waiting_room: None,
            max_participants: None,
            max_podium: None,
            raw: Value::Null,
        })
    }
}
