//! The pollable descriptor of a client: a socket pair whose read end holds exactly one byte
//! while events wait, so select/poll/epoll (level-triggered) and Qt/GLib notifiers see it
//! readable exactly then. A socket pair needs nothing beyond std and works with every
//! readiness API; eventfd would be Linux-only.
//!
//! The owner calls [`WakeFd::set`] under its queue lock, so the byte tracks the queue exactly.

#[cfg(unix)]
mod imp {
    use std::io::{Read, Write};
    use std::os::unix::io::AsRawFd;
    use std::os::unix::net::UnixStream;

    pub(crate) struct WakeFd {
        reader: UnixStream,
        writer: UnixStream,
        raised: bool,
    }

    impl WakeFd {
        pub(crate) fn new() -> std::io::Result<WakeFd> {
            let (reader, writer) = UnixStream::pair()?;
            reader.set_nonblocking(true)?;
            writer.set_nonblocking(true)?;
            Ok(WakeFd { reader, writer, raised: false })
        }

        pub(crate) fn raw(&self) -> i32 {
            self.reader.as_raw_fd()
        }

        /// Makes the read end readable (`true`) or not (`false`).
        pub(crate) fn set(&mut self, readable: bool) {
            if readable == self.raised {
                return;
            }
            if readable {
                // One byte in an empty socket buffer cannot block; an error leaves the fd quiet,
                // and a poller then falls back to its time-out.
                self.raised = (&self.writer).write(&[1]).map(|n| n == 1).unwrap_or(false);
            } else {
                let mut buf = [0u8; 16];
                while matches!((&self.reader).read(&mut buf), Ok(n) if n > 0) {}
                self.raised = false;
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    pub(crate) struct WakeFd;

    impl WakeFd {
        pub(crate) fn new() -> std::io::Result<WakeFd> {
            Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "no pollable descriptor on this platform"))
        }
        pub(crate) fn raw(&self) -> i32 {
            -1
        }
        pub(crate) fn set(&mut self, _readable: bool) {}
    }
}

pub(crate) use imp::WakeFd;
