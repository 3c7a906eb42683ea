//! The room's own session: its server, its login, the embedded HTTP server's token.

crate::records! {
    /// `getLogin`: whether the room is logged in to its server, and as whom.
    pub struct LoginInfo {
        /// The room is logged in to its server.
        pub is_logged_in: Option<bool> = "isLoggedIn" | "isLoggedin",
        /// Our CallId on the server.
        pub peer_id: Option<String> = "peerId",
        /// Our display name on the server.
        pub display_name: Option<String> = "peerDn",
    }

    /// A TrueConf server (`serverConnected`, `serverDisconnected`, `getConnected`).
    pub struct ServerInfo {
        /// The server's address.
        pub server: Option<String> = "server",
        /// The server's port (4307 by default).
        pub port: Option<i64> = "port",
        /// TrueConf Online rather than a server of one's own.
        pub service: Option<bool> = "service",
        /// The TrueConf Online domain, when `service`.
        pub domain: Option<String> = "domain",
    }

    /// `getConnected`: the link between the room and its server.
    pub struct ConnectionInfo {
        /// 0 not connected, 1 connecting, 2 connected.
        pub state: i64 = "state",
        /// The server, when connected or connecting.
        pub server_info: Option<ServerInfo> = "serverInfo",
    }

}
