//! `tcroom-codegen`: writes the faces of the protocol catalogue that cannot be built at compile
//! time by the core itself.
//!
//! - `ffi/src/generated/`: a `tc_client_<name>` function per command (cbindgen then puts them,
//!   with their documentation, into `include/tcroom.h`) and the `tc_event_kind` enum;
//! - `python/tcroom/_commands.py` (the blocking and the asyncio methods),
//!   `python/tcroom/_models.py` (a dataclass per record) and `python/tcroom/_sync.py` (the
//!   blocking client, derived from the asyncio one, `_async.py`, by unasync rules);
//! - `docs/commands.md`, the reference.
//!
//! `cargo run -p tcroom-codegen` writes them; `cargo run -p tcroom-codegen -- --check` and the
//! drift test fail when what is checked in differs.

mod c;
mod docs;
mod python;
mod text;
mod unasync;

use std::path::{Path, PathBuf};

/// One generated file: its path from the workspace root, and its content.
pub struct Output {
    pub path: &'static str,
    pub content: String,
}

/// Every generated file.
pub fn outputs() -> Vec<Output> {
    vec![
        Output { path: "ffi/src/generated/mod.rs", content: c::module() },
        Output { path: "ffi/src/generated/commands.rs", content: c::commands() },
        Output { path: "ffi/src/generated/events.rs", content: c::events() },
        Output { path: "python/tcroom/_commands.py", content: python::commands() },
        Output { path: "python/tcroom/_models.py", content: python::models() },
        Output {
            path: "python/tcroom/_sync.py",
            content: unasync::sync_client(
                &std::fs::read_to_string(root().join("python/tcroom/_async.py")).unwrap_or_default(),
            ),
        },
        Output { path: "docs/commands.md", content: docs::reference() },
    ]
}

/// The workspace root (this crate's parent folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The generated files that differ from what is on disk under `root`.
pub fn stale(root: &Path) -> Vec<&'static str> {
    outputs()
        .into_iter()
        .filter(|o| std::fs::read_to_string(root.join(o.path)).ok().as_deref() != Some(o.content.as_str()))
        .map(|o| o.path)
        .collect()
}
