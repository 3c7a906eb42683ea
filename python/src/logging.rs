//! `tracing` records of the runtime's threads, forwarded to Python's `logging` under `tcroom`.
//!
//! The subscriber is installed per runtime thread (not globally) so that another Rust extension
//! in the same process keeps its own. Records from our crates go to `tcroom.<module>`; those of
//! dependencies only from WARN up, to `tcroom.deps.<crate>`. No handler is installed: where
//! the records end up is the application's business. The core redacts secrets before logging.
//!
//! Taking the GIL for every record would be costly, so the effective level of the `tcroom`
//! logger is cached and refreshed on every call into the native module.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Registry;

/// The most verbose tracing level to forward: 0 none, 1 ERROR ... 5 TRACE.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(3);

fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Python's numbers; TRACE has none, 5 is the customary choice.
fn python_level(level: &Level) -> i32 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

/// Re-reads the effective level of the `tcroom` logger.
pub fn refresh(py: Python<'_>) {
    // The logger and the module are looked up once: `getLogger` takes logging's lock and costs
    // more than the rest of a call's overhead. `logging.root` is read each time (it may be
    // replaced).
    static LOGGER: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    let level = (|| -> PyResult<i32> {
        let (logging, logger) = LOGGER.get_or_try_init(py, || -> PyResult<_> {
            let logging = py.import("logging")?;
            let logger = logging.call_method1("getLogger", ("tcroom",))?;
            Ok((logging.into_any().unbind(), logger.unbind()))
        })?;
        let effective: i32 = logger.bind(py).call_method0("getEffectiveLevel")?.extract()?;
        let disabled: i32 = logging.bind(py).getattr("root")?.getattr("manager")?.getattr("disable")?.extract()?;
        Ok(effective.max(disabled + 1))
    })();
    let max = match level {
        Ok(l) if l <= 5 => 5,
        Ok(l) if l <= 10 => 4,
        Ok(l) if l <= 20 => 3,
        Ok(l) if l <= 30 => 2,
        Ok(l) if l <= 40 => 1,
        Ok(_) => 0,
        Err(_) => 0,
    };
    MAX_LEVEL.store(max, Ordering::Relaxed);
}

/// `tcroom_core::connection` -> `tcroom.connection`; `None` for other crates.
fn own_logger(target: &str) -> Option<String> {
    let mut parts = target.split("::");
    let first = parts.next()?;
    let base = match first {
        "tcroom_core" => "tcroom".to_owned(),
        "_native" | "tcroom_python" => "tcroom.python".to_owned(),
        other => other.strip_prefix("tcroom_").map(|rest| format!("tcroom.{rest}"))?,
    };
    Some(parts.fold(base, |acc, p| format!("{acc}.{p}")))
}

fn logger_name(meta: &Metadata<'_>) -> Option<String> {
    match own_logger(meta.target()) {
        Some(name) => Some(name),
        None if *meta.level() <= Level::WARN => {
            let krate = meta.target().split("::").next().unwrap_or("unknown");
            Some(format!("tcroom.deps.{krate}"))
        }
        None => None,
    }
}

/// Formats fields as `key=value`, the `message` field first and bare.
#[derive(Default)]
struct Fields {
    message: String,
    rest: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.rest, " {}={}", field.name(), value);
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.rest, " {}={:?}", field.name(), value);
        }
    }
}

/// A span's fields, formatted once when it is created.
struct SpanFields(String);

struct PyLogLayer;

impl<S> Layer<S> for PyLogLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    // `sometimes` keeps `enabled` consulted on every record, so level changes take effect.
    fn register_callsite(&self, _meta: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, meta: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        meta.is_span() || (rank(meta.level()) <= MAX_LEVEL.load(Ordering::Relaxed) && logger_name(meta).is_some())
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut f = Fields::default();
        attrs.record(&mut f);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(f.rest.trim_start().to_owned()));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let mut f = Fields::default();
        values.record(&mut f);
        if let Some(span) = ctx.span(id) {
            if let Some(fields) = span.extensions_mut().get_mut::<SpanFields>() {
                fields.0.push_str(&f.rest);
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let meta = event.metadata();
        let Some(name) = logger_name(meta) else {
            return;
        };
        let mut f = Fields::default();
        event.record(&mut f);
        let mut text = String::new();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                let ext = span.extensions();
                let fields = ext.get::<SpanFields>().map(|s| s.0.as_str()).unwrap_or("");
                let _ = write!(text, "{}{{{}}}:", span.name(), fields);
            }
            if !text.is_empty() {
                text.push(' ');
            }
        }
        text.push_str(&f.message);
        text.push_str(&f.rest);
        let level = python_level(meta.level());
        let (file, line) = (meta.file().unwrap_or("<rust>"), meta.line().unwrap_or(0));
        // Not at interpreter exit: the record is lost rather than the thread blocked forever.
        Python::try_attach(|py| {
            let _ = emit(py, &name, level, file, line, &text);
        });
    }
}

fn emit(py: Python<'_>, name: &str, level: i32, file: &str, line: u32, text: &str) -> PyResult<()> {
    let logger = py.import("logging")?.call_method1("getLogger", (name,))?;
    if !logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
        return Ok(());
    }
    // makeRecord + handle, not logger.log: there is no Python frame to attribute the record to.
    let args = PyTuple::empty(py);
    let record = logger.call_method1("makeRecord", (name, level, file, line, text, args, py.None()))?;
    logger.call_method1("handle", (record,))?;
    Ok(())
}

fn dispatch() -> &'static Dispatch {
    static DISPATCH: OnceLock<Dispatch> = OnceLock::new();
    DISPATCH.get_or_init(|| Dispatch::new(Registry::default().with(PyLogLayer)))
}

thread_local! {
    static GUARD: std::cell::RefCell<Option<tracing::dispatcher::DefaultGuard>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the forwarding subscriber as the default of the current thread: for futures
/// polled outside the runtime's threads (on the caller's thread, or an event loop's).
pub fn in_scope<T>(f: impl FnOnce() -> T) -> T {
    tracing::dispatcher::with_default(dispatch(), f)
}

/// Makes the forwarding subscriber the default of the current (runtime) thread.
pub fn attach_to_thread() {
    let guard = tracing::dispatcher::set_default(dispatch());
    GUARD.with(|g| *g.borrow_mut() = Some(guard));
}

#[cfg(test)]
mod tests {
    use super::own_logger;

    #[test]
    fn our_crates_map_under_tcroom() {
        assert_eq!(own_logger("tcroom_core::connection").as_deref(), Some("tcroom.connection"));
        assert_eq!(own_logger("tcroom_core").as_deref(), Some("tcroom"));
        assert_eq!(own_logger("tcroom_emulator::session").as_deref(), Some("tcroom.emulator.session"));
        assert_eq!(own_logger("_native::op").as_deref(), Some("tcroom.python.op"));
        assert_eq!(own_logger("tungstenite::protocol"), None);
    }
}
