//! Chat, app-defined messages and content sharing.

use serde_json::Value;

crate::records! {
    /// A chat message, received (`incomingChatMessage`, `incomingGroupChatMessage`) or sent
    /// (`chatMessageSent`, `groupChatMessageSent`).
    pub struct ChatMessage {
        /// The sender for incoming messages, the recipient for sent ones (none for group sends).
        pub peer_id: Option<String> = "peerId" | "callId",
        pub display_name: Option<String> = "peerDn",
        pub message: String = "message" | "text",
        pub chat_id: Option<String> = "chatId",
        /// Unix time in seconds.
        pub time: Option<i64> = "time",
        pub conf_id: Option<String> = "confId",
    }

    /// An app-defined command between participants (`commandReceived`, `commandSent`); never
    /// shown in the chat.
    pub struct AppCommand {
        pub peer_id: Option<String> = "peerId" | "callId",
        pub command: String = "command",
        pub conf_id: Option<String> = "confId",
    }

    /// `myEvent`: what a `fireMyEvent` sent, delivered to every connection of the room.
    pub struct MyEvent {
        /// Any JSON value; usually the string that was sent.
        pub data: Value = "data",
    }

    /// Content sharing started (`dsStarted`) or stopped (`dsStopped`).
    pub struct ContentCapture {
        /// The id from `Hardware::capture_sources`.
        pub capture_id: Option<i64> = "captureId" | "id",
        pub name: Option<String> = "name",
    }
}
