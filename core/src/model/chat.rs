//! Chat, app-defined messages and content sharing.

use serde_json::Value;

crate::records! {
    /// A chat message, received (`incomingChatMessage`, `incomingGroupChatMessage`) or sent
    /// (`chatMessageSent`, `groupChatMessageSent`).
    pub struct ChatMessage {
        /// The sender for incoming messages, the recipient for sent ones (none for group sends).
        pub peer_id: Option<String> = "peerId" | "callId",
        /// The display name of `peer_id` (not every room sends it).
        pub display_name: Option<String> = "peerDn",
        /// The text.
        pub message: String = "message" | "text",
        /// Not documented by the vendor; kept as sent.
        pub chat_id: Option<String> = "chatId",
        /// Unix time in seconds.
        pub time: Option<i64> = "time",
        /// The conference, for group messages (empty or absent otherwise).
        pub conf_id: Option<String> = "confId",
    }

    /// An app-defined command between participants (`commandReceived`, `commandSent`); never
    /// shown in the chat.
    pub struct AppCommand {
        /// The sender (received) or the recipient (sent).
        pub peer_id: Option<String> = "peerId" | "callId",
        /// The text of the command, as the sender wrote it.
        pub command: String = "command",
        /// The conference, when there is one.
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
        /// The window or screen shared, when given.
        pub name: Option<String> = "name",
    }
}
