//! One operation of the client, run either blocking (`wait`) or as an asyncio awaitable (`start`).
//!
//! Every native call returns an [`Op`] around a Rust future; the Python layer picks the style.
//! Blocking, the future runs as a task of the tokio runtime. Awaited, it is polled on its event
//! loop's thread (with the GIL released, inside the runtime's context): once right away, so that
//! a request is written before the caller suspends, then whenever it is woken (see
//! [`awaitable`]). Its output is a closure that builds the Python result once the GIL is held, so
//! no worker thread ever touches Python objects while it waits.

use crate::errors;
use crate::runtime;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use tokio::task::AbortHandle;

/// Builds the Python result (or exception) of a finished operation.
pub type Done = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Py<PyAny>> + Send>;
pub type OpFuture = Pin<Box<dyn Future<Output = Done> + Send>>;

/// How often a blocking wait comes back for the GIL to see whether Ctrl-C was pressed.
const SLICE: Duration = Duration::from_millis(50);

/// Aborts the task when the wait is abandoned (Ctrl-C or an error): dropping the future is what
/// cancels a request in the core.
struct AbortOnDrop(Option<AbortHandle>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            h.abort();
        }
    }
}

pub fn handle(py: Python<'_>) -> PyResult<tokio::runtime::Handle> {
    runtime::handle().map_err(|why| errors::unavailable(py, why))
}

/// Runs `fut` on the runtime and waits for it with the GIL released, in slices, so that
/// Ctrl-C raises `KeyboardInterrupt` here (and the future is dropped).
pub fn block_on<T: Send + 'static>(py: Python<'_>, fut: impl Future<Output = T> + Send + 'static) -> PyResult<T> {
    let rt = handle(py)?;
    let (tx, rx) = sync_channel(1);
    let task = rt.spawn(async move {
        let _ = tx.send(fut.await);
    });
    let mut guard = AbortOnDrop(Some(task.abort_handle()));
    let mut rx = rx;
    loop {
        // `Receiver` is not `Sync`, so it goes into the detached closure and comes back out.
        let (got, back) = py.detach(move || {
            let got = rx.recv_timeout(SLICE);
            (got, rx)
        });
        rx = back;
        match got {
            Ok(v) => {
                guard.0 = None;
                return Ok(v);
            }
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(errors::new_error(py, "ClosedError", "tcroom shut down while waiting", None))
            }
        }
    }
}

/// Polls `fut` once on this thread, inside the runtime's context, with a waker that does
/// nothing: a pending future is then spawned, and the task's first poll registers its real waker.
fn poll_once<T>(rt: &tokio::runtime::Handle, fut: Pin<&mut (impl Future<Output = T> + ?Sized)>) -> Poll<T> {
    let _guard = rt.enter();
    crate::logging::in_scope(|| fut.poll(&mut Context::from_waker(Waker::noop())))
}

/// Called by the asyncio future when it is done: if that was a cancellation, the task (and so
/// the request) is dropped; otherwise the task has finished and this does nothing.
#[pyclass(module = "tcroom._native", frozen)]
struct CancelTask(AbortHandle);

#[pymethods]
impl CancelTask {
    fn __call__(&self, _future: &Bound<'_, PyAny>) {
        self.0.abort();
    }
}

/// Completes an asyncio future on its own loop's thread (scheduled by `call_soon_threadsafe`).
#[pyfunction]
#[pyo3(signature = (future, result, error))]
pub fn _resolve(future: &Bound<'_, PyAny>, result: &Bound<'_, PyAny>, error: &Bound<'_, PyAny>) -> PyResult<()> {
    // Cancelled meanwhile: the awaiting task has moved on, and setting would raise.
    if future.call_method0("done")?.is_truthy()? {
        return Ok(());
    }
    if error.is_none() {
        future.call_method1("set_result", (result,))?;
    } else {
        future.call_method1("set_exception", (error,))?;
    }
    Ok(())
}

static RESOLVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `asyncio.get_running_loop()`, the function looked up once.
fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let f = GET_RUNNING_LOOP
        .get_or_try_init(py, || py.import("asyncio")?.getattr("get_running_loop").map(Bound::unbind))?;
    f.bind(py).call0()
}

/// Sets the result (or exception) of an asyncio future unless it was cancelled meanwhile.
pub(crate) fn settle(future: &Bound<'_, PyAny>, done: Done) -> PyResult<()> {
    let py = future.py();
    if future.call_method0(pyo3::intern!(py, "done"))?.is_truthy()? {
        return Ok(());
    }
    match done(py) {
        Ok(v) => future.call_method1(pyo3::intern!(py, "set_result"), (v,))?,
        Err(e) => future.call_method1(pyo3::intern!(py, "set_exception"), (e.into_value(py),))?,
    };
    Ok(())
}

fn deliver(py: Python<'_>, event_loop: Py<PyAny>, future: Py<PyAny>, done: Done) {
    let (result, error) = match done(py) {
        Ok(v) => (v, py.None()),
        Err(e) => (py.None(), e.into_value(py).into_any()),
    };
    let resolve = match RESOLVE
        .get_or_try_init(py, || py.import("tcroom._native").and_then(|m| m.getattr("_resolve")).map(Bound::unbind))
    {
        Ok(f) => f.clone_ref(py),
        Err(_) => return,
    };
    // Fails only when the loop is closed: nobody is left to receive the result.
    let _ = event_loop.call_method1(py, "call_soon_threadsafe", (resolve, future, result, error));
}

/// An asyncio future, bound to the running loop, completed when `fut` finishes. Cancelling it
/// drops `fut`.
///
/// `fut` is polled right here first, so that the request is on the wire before the caller
/// suspends, and then again on the loop's thread whenever it is woken (see
/// [`crate::loop_inbox::LoopInbox`]): no task, no thread hop but the reply's.
pub fn awaitable<'py>(py: Python<'py>, fut: OpFuture) -> PyResult<Bound<'py, PyAny>> {
    let rt = handle(py)?;
    let event_loop = running_loop(py)?;
    let future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
    // Where the loop can watch a descriptor (POSIX), the operation is driven on the loop's own
    // thread; elsewhere it runs as a task of the runtime.
    #[cfg(unix)]
    if let Some(li) = crate::loop_inbox::inbox_for(py, &event_loop) {
        return crate::loop_inbox::drive(py, rt, li, future, fut);
    }
    spawned(py, rt, event_loop, future, fut)
}

/// [`awaitable`] for a loop without `add_reader`: a task of the runtime, completed with
/// `call_soon_threadsafe`.
fn spawned<'py>(
    py: Python<'py>,
    rt: tokio::runtime::Handle,
    event_loop: Bound<'py, PyAny>,
    future: Bound<'py, PyAny>,
    fut: OpFuture,
) -> PyResult<Bound<'py, PyAny>> {
    let mut fut = fut;
    let (first, fut) = py.detach(|| {
        let first = poll_once(&rt, fut.as_mut());
        (first, fut)
    });
    if let Poll::Ready(done) = first {
        settle(&future, done)?;
        return Ok(future);
    }
    let (loop_ref, future_ref) = (event_loop.unbind(), future.clone().unbind());
    let task = rt.spawn(async move {
        let done = fut.await;
        // At interpreter exit there is nobody to tell.
        Python::try_attach(|py| deliver(py, loop_ref, future_ref, done));
    });
    future.call_method1(pyo3::intern!(py, "add_done_callback"), (CancelTask(task.abort_handle()),))?;
    Ok(future)
}

enum State {
    Pending(OpFuture),
    /// Already finished when it was made (e.g. events that were queued): no runtime hop.
    Ready(Done),
}

/// A not yet started operation. Run it once, with `wait()` or `start()`.
#[pyclass(module = "tcroom._native", frozen)]
pub struct Op {
    state: Mutex<Option<State>>,
    pid: u32,
}

impl Op {
    pub fn new(fut: impl Future<Output = Done> + Send + 'static) -> Op {
        Op { state: Mutex::new(Some(State::Pending(Box::pin(fut)))), pid: runtime::pid() }
    }

    /// An operation whose result is already known.
    pub fn ready(done: Done) -> Op {
        Op { state: Mutex::new(Some(State::Ready(done))), pid: runtime::pid() }
    }

    fn take(&self, py: Python<'_>) -> PyResult<State> {
        if runtime::forked(self.pid) {
            return Err(errors::forked(py));
        }
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .ok_or_else(|| errors::new_error(py, "Error", "this operation has already been run", None))
    }
}

#[pymethods]
impl Op {
    /// Runs the operation, blocking with the GIL released; Ctrl-C cancels it.
    fn wait(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.take(py)? {
            State::Ready(done) => done(py),
            State::Pending(fut) => {
                let done = block_on(py, fut)?;
                done(py)
            }
        }
    }

    /// Starts the operation and returns an asyncio future of the running loop.
    fn start<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.take(py)? {
            State::Ready(done) => {
                let future = running_loop(py)?.call_method0("create_future")?;
                match done(py) {
                    Ok(v) => future.call_method1("set_result", (v,))?,
                    Err(e) => future.call_method1("set_exception", (e.into_value(py),))?,
                };
                Ok(future)
            }
            State::Pending(fut) => awaitable(py, fut),
        }
    }
}

impl Drop for Op {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(State::Pending(fut)) = state {
            runtime::dispose(self.pid, fut);
        }
    }
}

/// A finished operation's result: a value built under the GIL.
pub fn done<F>(f: F) -> Done
where
    F: for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send + 'static,
{
    Box::new(move |py| f(py).map(Bound::unbind))
}

/// A finished operation that failed with a core error.
pub fn failed(err: tcroom_core::Error) -> Done {
    Box::new(move |py| Err(errors::to_py(py, &err)))
}

/// `Ok` values through `f`, core errors as exceptions.
pub fn finish<T, F>(r: tcroom_core::Result<T>, f: F) -> Done
where
    T: Send + 'static,
    F: for<'py> FnOnce(Python<'py>, T) -> PyResult<Bound<'py, PyAny>> + Send + 'static,
{
    match r {
        Ok(v) => done(move |py| f(py, v)),
        Err(e) => failed(e),
    }
}
