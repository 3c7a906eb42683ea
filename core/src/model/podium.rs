//! The podium of a role-based conference: requests, invitations and their answers.

crate::records! {
    /// `roleEventOccured` (sic): someone asked for the podium, was invited to it, or an answer
    /// came. The combination of `role` and `event_type` says which; treat it as data.
    pub struct RoleEvent {
        /// Who asked, was invited, or answered.
        pub peer_id: Option<String> = "peerId" | "callId",
        /// Their display name.
        pub display_name: Option<String> = "peerDn",
        /// 0 unchanged, 1 ordinary, 2 owner, 3 asked for the podium, 4 invited to the podium,
        /// 5 audio remark.
        pub role: Option<i64> = "role",
        /// 0 request, 1 response, 2 confirmation, 3 notification.
        pub event_type: Option<i64> = "type",
        /// 0 positive, 1 general, 2 role already taken, 3 declined, 4 no reply, 5 not joined.
        pub result: Option<i64> = "result",
        /// On the podium.
        pub broadcast: Option<bool> = "broadcast",
        /// The conference.
        pub conf_id: Option<String> = "confId",
    }

    /// `incomingPodiumInvitationRemoved`: an invitation to the podium is no longer pending.
    pub struct PodiumInvitationRemoved {
        /// The conference.
        pub conf_id: Option<String> = "confId",
        /// 0 accepted, 1 declined, 2 timed out, 3 the conference is ending.
        pub reason: Option<i64> = "reason",
    }

    /// `incomingRequestToPodiumAnswered`: our answer to someone's request for the podium.
    pub struct PodiumRequestAnswered {
        /// Who asked for the podium.
        pub peer_id: Option<String> = "peerId" | "callId",
        /// True when we let them on the podium.
        pub allow: Option<bool> = "allow",
        /// The conference.
        pub conf_id: Option<String> = "confId",
    }
}
