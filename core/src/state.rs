//! The state mirror: what the client knows of the room, kept current from replies and events.

use crate::connection::lock;
use crate::event::{Event, EventKind};
use crate::model::{AppState, Conference, Participant, TariffRestrictions};
use std::sync::{Arc, Mutex};

/// A snapshot of what the client knows. Cheap enough to take on every read.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct State {
    pub connected: bool,
    pub authorized: bool,
    pub app_state: Option<AppState>,
    /// The conference we are in, from `conferenceCreated` (updated by waiting-room and mode events).
    pub conference: Option<Conference>,
    /// Participants of the current conference, from `getConferenceParticipants` plus join/leave
    /// events. Events alone do not list us (the owner); call `get_conference_participants` for that.
    pub participants: Vec<Participant>,
    pub tariff: Option<TariffRestrictions>,
    /// Our own CallId, when `getSystemInfo` has told it.
    pub own_peer_id: Option<String>,
}

impl State {
    /// Participants waiting in the waiting room.
    pub fn waiting(&self) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(|p| p.in_waiting_room)
    }
}

#[derive(Clone, Default)]
pub(crate) struct StateMirror(Arc<Mutex<State>>);

/// `peer` names participant `p`: the same InstanceId, or the CallId that the InstanceId extends.
fn names(peer: &str, p: &Participant) -> bool {
    p.peer_id == peer || p.peer_id.split('/').next() == Some(peer) || peer.split('/').next() == Some(p.peer_id.as_str())
}

impl StateMirror {
    pub(crate) fn snapshot(&self) -> State {
        lock(&self.0).clone()
    }

    /// Reads a part of the state without copying the rest.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&lock(&self.0))
    }

    pub(crate) fn update(&self, f: impl FnOnce(&mut State)) {
        f(&mut lock(&self.0))
    }

    pub(crate) fn apply(&self, ev: &Event) {
        let mut s = lock(&self.0);
        match &ev.kind {
            EventKind::AppStateChanged(info) => {
                s.app_state = Some(info.app_state);
                if matches!(info.app_state, AppState::None | AppState::Connect | AppState::Login | AppState::Normal) {
                    s.conference = None;
                    s.participants.clear();
                }
            }
            EventKind::ConferenceCreated(c) => {
                if s.conference.as_ref().map(|old| &old.conf_id) != Some(&c.conf_id) {
                    s.participants.clear();
                }
                s.conference = Some(c.clone());
            }
            EventKind::ConferenceDeleted { conf_id } => {
                let ours = match (&s.conference, conf_id) {
                    (Some(c), Some(id)) => &c.conf_id == id,
                    _ => true,
                };
                if ours {
                    s.conference = None;
                    s.participants.clear();
                }
            }
            EventKind::NewParticipant { participant, .. } => {
                match s.participants.iter_mut().find(|p| p.peer_id == participant.peer_id) {
                    Some(p) => *p = participant.clone(),
                    None => s.participants.push(participant.clone()),
                }
            }
            EventKind::ParticipantLeft { peer_id, .. } => s.participants.retain(|p| !names(peer_id, p)),
            EventKind::ParticipantPresenceInWaitingRoomChanged { call_id, in_waiting_room, .. } => {
                match s.participants.iter_mut().find(|p| names(call_id, p)) {
                    Some(p) => p.in_waiting_room = *in_waiting_room,
                    None => s.participants.push(Participant {
                        peer_id: call_id.clone(),
                        display_name: None,
                        mic: None,
                        video: None,
                        role: None,
                        broadcast: None,
                        in_waiting_room: *in_waiting_room,
                        raw: ev.raw.clone(),
                    }),
                }
            }
            EventKind::MyStateInWaitingRoomChanged { in_waiting_room, .. } => {
                if let Some(c) = s.conference.as_mut() {
                    c.in_waiting_room = Some(*in_waiting_room);
                }
            }
            EventKind::WaitingRoomStateChanged { enabled, .. } => {
                if let Some(c) = s.conference.as_mut() {
                    c.waiting_room_enabled = *enabled;
                }
            }
            EventKind::SmartMeetingModeChanged { is_smart_meeting, .. } => {
                if let Some(c) = s.conference.as_mut() {
                    c.is_smart_meeting = *is_smart_meeting;
                }
            }
            EventKind::TariffRestrictionsChanged(t) => s.tariff = Some(t.clone()),
            EventKind::AuthorizationNeeded { .. } => s.authorized = false,
            EventKind::Disconnected { .. } | EventKind::ConnectionLost { .. } => {
                s.connected = false;
                s.authorized = false;
            }
            _ => {}
        }
    }
}
