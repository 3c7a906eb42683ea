//! Parameters of `createConference`, checked before anything is sent.

use crate::model::{ConfType, TariffRestrictions};
use crate::{Error, Result};
use serde_json::{json, Map, Value};

/// Everything `createConference` takes (PROTOCOL.md §6).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateConference {
    /// `title`: the conference's name (not empty).
    pub title: String,
    /// `confType`: symmetric, asymmetric or role-based.
    pub conf_type: ConfType,
    /// Participants may join without the owner's approval.
    pub auto_accept: bool,
    /// PeerIds, CallIds or InstanceIds. Do not list yourself: the caller becomes the owner.
    pub invite: Vec<String>,
    /// Podium seats; must be a `maxCasters` of the matching tariff schema.
    pub casters_count: Option<u32>,
    /// `useWaitingRoom`: people wait to be let in.
    pub use_waiting_room: bool,
    /// `muteCamOnJoin`: participants join with their camera off.
    pub mute_cam_on_join: bool,
    /// `muteMicOnJoin`: participants join with their microphone muted.
    pub mute_mic_on_join: bool,
    /// Role conferences only, with at least 4 podium seats.
    pub smart_meeting: bool,
}

impl CreateConference {
    /// A conference of this title and type; everything else off, nobody invited.
    pub fn new(title: impl Into<String>, conf_type: ConfType) -> Self {
        CreateConference {
            title: title.into(),
            conf_type,
            auto_accept: false,
            invite: Vec::new(),
            casters_count: None,
            use_waiting_room: false,
            mute_cam_on_join: false,
            mute_mic_on_join: false,
            smart_meeting: false,
        }
    }

    /// Adds a PeerId, CallId or InstanceId to `inviteList`.
    pub fn invite(mut self, peer: impl Into<String>) -> Self {
        self.invite.push(peer.into());
        self
    }

    /// Checks what can be checked without a round trip. `tariff` is the last known
    /// restrictions, if any: with it, `casters_count` is checked against the schema too.
    pub fn validate(&self, tariff: Option<&TariffRestrictions>) -> Result<()> {
        let bad = |m: String| Err(Error::InvalidArgument(m));
        if self.title.trim().is_empty() {
            return bad("the conference title is empty".into());
        }
        if let Some(i) = self.invite.iter().position(|p| p.trim().is_empty()) {
            return bad(format!("invitee #{} is an empty id", i + 1));
        }
        if self.smart_meeting {
            if self.conf_type != ConfType::Role {
                return bad(format!("smart meeting needs a role conference, not {}", self.conf_type));
            }
            match self.casters_count {
                Some(n) if n >= 4 => {}
                Some(n) => return bad(format!("smart meeting needs at least 4 podium seats, got {n}")),
                None => return bad("smart meeting needs castersCount (at least 4 podium seats)".into()),
            }
        }
        if self.casters_count == Some(0) {
            return bad("castersCount must be at least 1".into());
        }
        if let Some(t) = tariff {
            if t.create_multi == Some(false) {
                return bad(format!(
                    "the tariff{} does not allow group conferences",
                    t.tariff_name.as_deref().map(|n| format!(" '{n}'")).unwrap_or_default()
                ));
            }
            if let Some(n) = self.casters_count {
                let schema = t.schema_for(self.conf_type, self.smart_meeting);
                // An empty schema tells us nothing: leave the decision to the room.
                if !schema.is_empty() && !schema.iter().any(|r| r.max_casters == n) {
                    let allowed: Vec<String> = schema.iter().map(|r| r.max_casters.to_string()).collect();
                    return bad(format!(
                        "castersCount {n} is not allowed for a {}{} conference by the tariff (allowed: {})",
                        if self.smart_meeting { "smart-meeting " } else { "" },
                        self.conf_type,
                        allowed.join(", ")
                    ));
                }
            }
        }
        Ok(())
    }

    /// The request's parameters, as flat siblings of `method`.
    pub fn to_params(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("title".into(), json!(self.title));
        m.insert("confType".into(), json!(self.conf_type.as_wire()));
        m.insert("autoAccept".into(), json!(self.auto_accept));
        m.insert("inviteList".into(), json!(self.invite));
        if let Some(n) = self.casters_count {
            m.insert("castersCount".into(), json!(n));
        }
        m.insert("useWaitingRoom".into(), json!(self.use_waiting_room));
        m.insert("muteCamOnJoin".into(), json!(self.mute_cam_on_join));
        m.insert("muteMicOnJoin".into(), json!(self.mute_mic_on_join));
        if self.smart_meeting {
            m.insert("smartMeeting".into(), json!(true));
        }
        m
    }
}
