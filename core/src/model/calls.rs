//! Calls: who is calling, who declined, and the call history.

crate::records! {
    /// An incoming call or invitation (`inviteReceived`): what a call button or an auto-answer
    /// rule decides on. Answer it with `accept` or `reject`.
    pub struct IncomingCall {
        /// Who calls: a PeerId or CallId.
        pub peer_id: String = "peerId" | "callId",
        /// The caller's display name.
        pub display_name: Option<String> = "peerDn",
        /// 0 a call, 1 all on screen, 2 video lecture, 3 role-based conference.
        pub conf_type: Option<i64> = "type" | "confType",
        /// The conference's title (group conferences only).
        pub title: Option<String> = "confTitle",
        /// The conference's `confId` (group conferences only).
        pub conf_id: Option<String> = "confId",
    }

    /// A peer named by a notification (`peerAccepted`, `inviteRequestSent`).
    pub struct PeerRef {
        /// Who: an InstanceId or CallId.
        pub peer_id: String = "peerId" | "callId",
        /// Their display name.
        pub display_name: Option<String> = "peerDn",
        /// The conference, when there is one.
        pub conf_id: Option<String> = "confId",
    }

    /// `rejectSent`: we declined an incoming call or a request to join.
    pub struct Rejection {
        /// Whom we declined.
        pub peer_id: Option<String> = "peerId" | "callId",
        /// Their display name.
        pub display_name: Option<String> = "peerDn",
        /// Why, as for `rejectReceived` (0 rejected, 2 busy, 16 no answer...).
        pub cause: Option<i64> = "cause",
        /// The conference, when there is one.
        pub conf_id: Option<String> = "confId",
    }

    /// `stopCalling`: ringing stopped before a call started.
    pub struct CallStopped {
        /// The other side of the call.
        pub peer_id: Option<String> = "peerId" | "callId",
        /// 0 this room stopped it, 1 the other side did.
        pub side: Option<i64> = "side",
    }

    /// One entry of the call history.
    pub struct CallRecord {
        /// 0 incoming, 1 outgoing, 2 missed.
        pub call_type: Option<i64> = "type",
        /// 0 a call, 1 a group conference.
        pub conf_type: Option<i64> = "confType",
        /// The other side (a CallId).
        pub peer_id: Option<String> = "peerId",
        /// Their display name.
        pub display_name: Option<String> = "peerDn",
        /// Unix time in seconds.
        pub start_time: Option<i64> = "startTime",
        /// Seconds.
        pub duration: Option<i64> = "duration",
        /// The entry has been viewed.
        pub viewed: Option<bool> = "viewed",
        /// Not documented by the vendor; kept as sent.
        pub stream_id: Option<String> = "streamId",
        /// Group conferences only.
        pub conf_id: Option<String> = "confId",
        /// Group conferences only.
        pub title: Option<String> = "confTitle",
    }

    /// `getCallHistory`: the latest calls, newest first.
    pub struct CallHistory {
        /// The calls, newest first.
        pub calls: Vec<CallRecord> = "calls",
        /// When the history was last looked at (unix seconds).
        pub last_view: Option<i64> = "lastView",
    }
}
