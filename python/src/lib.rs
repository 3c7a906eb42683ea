//! `tcroom._native`: the private native module under the `tcroom` Python package.
//!
//! It only adapts the core: every command becomes an [`op::Op`] that Python runs blocking or
//! awaits; the Pythonic surface (names, keyword arguments, data classes) is in `python/tcroom/`.

mod client;
mod conference;
mod convert;
mod emulator;
mod errors;
mod events;
mod logging;
#[cfg(unix)]
mod loop_inbox;
mod op;
mod runtime;
mod watch;

use pyo3::prelude::*;

/// Stops the runtime: open connections are dropped. For interpreter exit (`atexit`).
#[pyfunction]
fn shutdown(py: Python<'_>) {
    py.detach(runtime::shutdown);
}

/// Re-reads the level of the `tcroom` logger (done on every call anyway).
#[pyfunction]
fn refresh_log_level(py: Python<'_>) {
    logging::refresh(py);
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("EVENTS_LOST", tcroom_core::EVENTS_LOST)?;
    m.add("STATE_CHANGED", tcroom_core::STATE_CHANGED)?;
    m.add("DISCONNECTED", tcroom_core::DISCONNECTED)?;
    m.add("CONNECTION_LOST", tcroom_core::CONNECTION_LOST)?;
    m.add("RECONNECTED", tcroom_core::RECONNECTED)?;
    m.add_class::<op::Op>()?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<conference::NativePending>()?;
    m.add_class::<emulator::NativeEmulator>()?;
    m.add_class::<watch::NativeWatch>()?;
    m.add_class::<watch::NativeFrames>()?;
    m.add_class::<watch::NativeAutoAnswer>()?;
    m.add_function(wrap_pyfunction!(op::_resolve, m)?)?;
    m.add_function(wrap_pyfunction!(shutdown, m)?)?;
    m.add_function(wrap_pyfunction!(refresh_log_level, m)?)?;
    Ok(())
}
