//! Two-phase completion of `createConference`: accepted now, started later.

use crate::event::EventKind;
use crate::model::{AppState, Conference};
use crate::params::CreateConference;
use crate::stream::{EventStream, StreamItem};
use crate::{Client, Error, Result};
use serde_json::Value;
use std::time::Duration;
use tokio::time::Instant;

/// How long to wait for `conferenceCreated` once `appStateChanged` 5 has said the conference
/// is up: the details come from the former, but a room that never sends it must not hang us.
const DETAILS_GRACE: Duration = Duration::from_secs(2);

/// A conference the room has accepted to create. [`wait`](Self::wait) for it to start.
pub struct PendingConference {
    client: Client,
    events: EventStream,
    reply: Value,
    params: CreateConference,
}

impl PendingConference {
    pub(crate) fn new(client: Client, events: EventStream, reply: Value, params: CreateConference) -> Self {
        PendingConference { client, events, reply, params }
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
                    EventKind::Reconnected { .. } if self.client.app_state() == Some(AppState::Conference) => {
                        return self.without_details().await
                    }
                    _ => {}
                },
                // Events were dropped for us: the mirror saw them all.
                Some(StreamItem::Lagged(_)) => {
                    if let Some(c) = self.client.state().conference {
                        return Ok(c);
                    }
                }
                None => return Err(Error::Disconnected { reason: "event stream ended".into() }),
            }
        }
    }

    /// The room said it is in a conference but not which: ask it.
    async fn without_details(self) -> Result<Conference> {
        if let Some(c) = self.client.state().conference {
            return Ok(c);
        }
        let (conf_id, _) = self.client.get_conference_participants().await?;
        let conf_id =
            conf_id.ok_or_else(|| Error::Protocol("in a conference, but the room does not say which".into()))?;
        Ok(Conference {
            conf_id,
            title: Some(self.params.title.clone()),
            conf_type: Some(self.params.conf_type),
            owner: self.client.state().own_peer_id,
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
