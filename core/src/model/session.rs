//! The room's own session: its server, its login, the embedded HTTP server's token.

crate::records! {
    /// `getLogin`: whether the room is logged in to its server, and as whom.
    pub struct LoginInfo {
        pub is_logged_in: Option<bool> = "isLoggedIn" | "isLoggedin",
        /// Our CallId on the server.
        pub peer_id: Option<String> = "peerId",
        pub display_name: Option<String> = "peerDn",
    }

    /// A TrueConf server (`serverConnected`, `serverDisconnected`, `getConnected`).
    pub struct ServerInfo {
        pub server: Option<String> = "server",
        pub port: Option<i64> = "port",
        /// TrueConf Online rather than a server of one's own.
        pub service: Option<bool> = "service",
        pub domain: Option<String> = "domain",
    }

    /// `getConnected`: the link between the room and its server.
    pub struct ConnectionInfo {
        /// 0 not connected, 1 connecting, 2 connected.
        pub state: i64 = "state",
        pub server_info: Option<ServerInfo> = "serverInfo",
    }

}
