//! `python/tcroom/_sync.py` from `python/tcroom/_async.py`, the way httpcore keeps its blocking
//! client: the asyncio client is the one written by hand, and the blocking one is derived from
//! it by rules, so that the two cannot drift apart.
//!
//! Rules: `async def`, `async with`, `async for` lose `async`; `await ` goes; the names of
//! [`RENAMES`] change (whole words); lines ending in `# unasync: async-only` and blocks between
//! `# unasync: begin async-only` and `# unasync: end` are dropped; blocks between
//! `# unasync: begin sync-only` and `# unasync: end` are comments in the source and code in the
//! result. The module docstring is replaced.

use crate::text::banner;

/// Names that differ between the two clients.
const RENAMES: &[(&str, &str)] = &[
    ("__aenter__", "__enter__"),
    ("__aexit__", "__exit__"),
    ("__aiter__", "__iter__"),
    ("__anext__", "__next__"),
    ("StopAsyncIteration", "StopIteration"),
    ("AsyncIterator", "Iterator"),
    ("AsyncClient", "Client"),
    ("AsyncPendingConference", "PendingConference"),
    ("AsyncEventIterator", "EventIterator"),
    ("AsyncStateWatch", "StateWatch"),
    ("AsyncFrames", "Frames"),
    ("AsyncCommands", "SyncCommands"),
    ("CallbackTask", "CallbackThread"),
    ("_Connecting", "Client"),
];

const DOCSTRING: &str =
    "\"\"\"The blocking client, :class:`tcroom.Client`: every call waits with the GIL released, and\n\
Ctrl-C interrupts it. Generated from ``_async.py`` (the one hand-written implementation of both\n\
clients) by tcroom-codegen; the commands come from the catalogue (``_commands.py``).\n\"\"\"\n";

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Replaces whole-word occurrences of `from` by `to`.
fn replace_word(line: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + from.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(is_word) || after.is_some_and(is_word) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

fn transform(line: &str) -> String {
    let mut l = line.replace("async def ", "def ").replace("async with ", "with ").replace("async for ", "for ");
    l = l.replace("await ", "").replace(".start()", ".wait()");
    for (from, to) in RENAMES {
        l = replace_word(&l, from, to);
    }
    l
}

/// `# code` (after the indentation) back to `code`.
fn uncomment(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    let body = &line[indent..];
    let code = body.strip_prefix("# ").or_else(|| body.strip_prefix('#')).unwrap_or(body);
    format!("{}{code}", &line[..indent])
}

/// The length of the module docstring at the start of `src` (after comments), if any.
fn docstring_span(src: &str) -> Option<(usize, usize)> {
    let start = src.find("\"\"\"")?;
    let end = src[start + 3..].find("\"\"\"")? + start + 6;
    let end = end + src[end..].find('\n').map_or(0, |n| n + 1);
    Some((start, end))
}

pub fn sync_client(async_source: &str) -> String {
    let mut body = async_source.to_owned();
    if let Some((start, end)) = docstring_span(&body) {
        body.replace_range(start..end, DOCSTRING);
    }
    #[derive(PartialEq)]
    enum Block {
        Both,
        AsyncOnly,
        SyncOnly,
    }
    let mut block = Block::Both;
    let mut out = banner("#", "python/tcroom/_async.py (unasync)");
    for line in body.lines() {
        match line.trim() {
            "# unasync: begin async-only" => block = Block::AsyncOnly,
            "# unasync: begin sync-only" => block = Block::SyncOnly,
            "# unasync: end" => block = Block::Both,
            _ => match block {
                Block::AsyncOnly => {}
                Block::SyncOnly => {
                    out.push_str(&uncomment(line));
                    out.push('\n');
                }
                Block::Both if line.trim_end().ends_with("# unasync: async-only") => {}
                Block::Both => {
                    out.push_str(&transform(line));
                    out.push('\n');
                }
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        let src = "\"\"\"Doc.\"\"\"\nimport asyncio  # unasync: async-only\nclass AsyncClient(AsyncCommands):\n    async def close(self) -> None:\n        await self._native.close().start()\n        # unasync: begin sync-only\n        # with self._lock:\n        #     pass\n        # unasync: end\n        # unasync: begin async-only\n        x = 1\n        # unasync: end\n    def MyAsyncClientX(self): pass\n";
        let out = sync_client(src);
        assert!(out.contains("class Client(SyncCommands):"));
        assert!(out.contains("    def close(self) -> None:\n        self._native.close().wait()\n        with self._lock:\n            pass\n"));
        assert!(!out.contains("asyncio") && !out.contains("x = 1"));
        assert!(out.contains("MyAsyncClientX"), "only whole words are renamed");
    }
}
