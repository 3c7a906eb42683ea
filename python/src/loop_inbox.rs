//! Driving asyncio operations on their loop's own thread (POSIX): a socket pair per loop wakes
//! it (`loop.add_reader`), and the loop's thread polls what was woken. Elsewhere operations run
//! as tasks of the runtime (see `op::awaitable`).

use crate::op::{handle, settle, OpFuture};
use crate::runtime;
use pyo3::prelude::*;
use pyo3::types::PyWeakrefReference;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// Operations of one event loop that were woken since its thread last looked, and the socket
/// that wakes the loop.
struct Inbox {
    woken: Mutex<Vec<u64>>,
    wake: UnixStream,
}

impl Inbox {
    /// From any thread, without the GIL: one byte per batch wakes the loop.
    fn push(&self, id: u64) {
        let first = {
            let mut q = self.woken.lock().unwrap_or_else(|e| e.into_inner());
            q.push(id);
            q.len() == 1
        };
        if first {
            // Full (the loop is not reading): a byte is already waiting, which is enough.
            let _ = (&self.wake).write(&[1]);
        }
    }
}

/// The waker of one operation driven by its loop's thread.
struct OpWaker {
    id: u64,
    inbox: Arc<Inbox>,
}

impl std::task::Wake for OpWaker {
    fn wake(self: Arc<Self>) {
        self.inbox.push(self.id);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.inbox.push(self.id);
    }
}

/// A pending operation of a loop, with the asyncio future it completes.
struct Driven {
    fut: OpFuture,
    waker: Waker,
    future: Py<PyAny>,
}

/// The operations of one event loop. They are polled on the loop's own thread (with the GIL
/// released, inside the runtime's context), when their waker says so: the runtime's threads only
/// push an id and write a byte, and never take the GIL; the loop's reader callback
/// (`loop.add_reader`) polls what was woken and completes the futures that are done, a batch per
/// wake.
#[pyclass(module = "tcroom._native", frozen)]
pub(crate) struct LoopInbox {
    inbox: Arc<Inbox>,
    rx: UnixStream,
    event_loop: Py<PyWeakrefReference>,
    ops: Arc<Ops>,
    next_id: AtomicU64,
}

/// The pending operations of a loop. Their futures' done callbacks hold it weakly, so that a
/// loop closed with operations in flight lets them go (with its inbox).
struct Ops {
    map: Mutex<HashMap<u64, Driven>>,
    pid: u32,
}

impl Ops {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Driven>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[pymethods]
impl LoopInbox {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        // The bytes first, then the ids: a byte written after this read comes with an id taken
        // below or one taken on the next wake.
        let mut buf = [0u8; 64];
        while let Ok(n) = (&self.rx).read(&mut buf) {
            if n < buf.len() {
                break;
            }
        }
        let ids = std::mem::take(&mut *self.inbox.woken.lock().unwrap_or_else(|e| e.into_inner()));
        if ids.is_empty() {
            return Ok(());
        }
        let rt = handle(py)?;
        let mut first_err = None;
        for id in ids {
            // Gone: finished already (a repeated wake) or cancelled.
            let Some(mut d) = self.ops.lock().remove(&id) else {
                continue;
            };
            let (polled, d) = py.detach(|| {
                let _guard = rt.enter();
                let polled = crate::logging::in_scope(|| d.fut.as_mut().poll(&mut Context::from_waker(&d.waker)));
                (polled, d)
            });
            match polled {
                Poll::Ready(done) => {
                    if let Err(e) = settle(d.future.bind(py), done) {
                        first_err.get_or_insert(e);
                    }
                }
                Poll::Pending => {
                    self.ops.lock().insert(id, d);
                }
            }
        }
        first_err.map_or(Ok(()), Err)
    }
}

impl Drop for Ops {
    fn drop(&mut self) {
        // The loop is gone with operations in flight: drop them on the runtime.
        let ops = std::mem::take(self.map.get_mut().unwrap_or_else(|e| e.into_inner()));
        for (_, d) in ops {
            runtime::dispose(self.pid, d.fut);
        }
    }
}

/// Done callback of an asyncio future driven by its loop: a cancelled future drops its
/// operation (which withdraws the request); after a normal completion there is nothing left.
#[pyclass(module = "tcroom._native", frozen)]
struct CancelDriven {
    ops: std::sync::Weak<Ops>,
    id: u64,
}

#[pymethods]
impl CancelDriven {
    fn __call__(&self, _future: &Bound<'_, PyAny>) {
        let Some(ops) = self.ops.upgrade() else {
            return;
        };
        let d = ops.lock().remove(&self.id);
        if let Some(d) = d {
            runtime::dispose(ops.pid, d.fut);
        }
    }
}

thread_local! {
    /// The inboxes of the loops that ran on this thread (a loop runs on one thread; usually
    /// there is one at a time).
    static INBOXES: RefCell<Vec<Py<LoopInbox>>> = const { RefCell::new(Vec::new()) };
}

/// The inbox of `event_loop`, made and registered with `add_reader` on first use; `None` when
/// the loop cannot watch a file descriptor (operations then run as tasks of the runtime, which
/// completes them with `call_soon_threadsafe`).
pub(crate) fn inbox_for(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> Option<Py<LoopInbox>> {
    // The weak reference also tells a new loop at the address of a freed one apart.
    let found = INBOXES.with(|c| {
        c.borrow()
            .iter()
            .find(|i| i.get().event_loop.bind(py).upgrade().is_some_and(|l| l.is(event_loop)))
            .map(|i| i.clone_ref(py))
    });
    if found.is_some() {
        return found;
    }
    // Forget the inboxes of loops that are gone or closed (their operations go with them).
    let stale: Vec<Py<LoopInbox>> = INBOXES.with(|c| {
        let mut v = c.borrow_mut();
        let (keep, stale) = std::mem::take(&mut *v).into_iter().partition(|i| {
            i.get()
                .event_loop
                .bind(py)
                .upgrade()
                .is_some_and(|l| !l.call_method0("is_closed").and_then(|b| b.is_truthy()).unwrap_or(true))
        });
        *v = keep;
        stale
    });
    drop(stale);
    let (wake, rx) = UnixStream::pair().ok()?;
    wake.set_nonblocking(true).ok()?;
    rx.set_nonblocking(true).ok()?;
    let weak = PyWeakrefReference::new(event_loop).ok()?.unbind();
    let fd = rx.as_raw_fd();
    let obj = Py::new(
        py,
        LoopInbox {
            inbox: Arc::new(Inbox { woken: Mutex::new(Vec::new()), wake }),
            rx,
            event_loop: weak,
            ops: Arc::new(Ops { map: Mutex::new(HashMap::new()), pid: runtime::pid() }),
            next_id: AtomicU64::new(0),
        },
    )
    .ok()?;
    event_loop.call_method1("add_reader", (fd, obj.clone_ref(py))).ok()?;
    INBOXES.with(|c| c.borrow_mut().push(obj.clone_ref(py)));
    Some(obj)
}

/// Polls `fut` once here, then registers it with the loop's inbox; the asyncio `future` is
/// completed on the loop's thread when it finishes.
pub(crate) fn drive<'py>(
    py: Python<'py>,
    rt: tokio::runtime::Handle,
    li: Py<LoopInbox>,
    future: Bound<'py, PyAny>,
    fut: OpFuture,
) -> PyResult<Bound<'py, PyAny>> {
    let inbox = li.get();
    let id = inbox.next_id.fetch_add(1, Ordering::Relaxed);
    let waker = Waker::from(Arc::new(OpWaker { id, inbox: inbox.inbox.clone() }));
    let mut fut = fut;
    let (first, fut, waker) = py.detach(|| {
        let _guard = rt.enter();
        let first = crate::logging::in_scope(|| fut.as_mut().poll(&mut Context::from_waker(&waker)));
        (first, fut, waker)
    });
    if let Poll::Ready(done) = first {
        settle(&future, done)?;
        return Ok(future);
    }
    inbox.ops.lock().insert(id, Driven { fut, waker, future: future.clone().unbind() });
    future.call_method1(
        pyo3::intern!(py, "add_done_callback"),
        (CancelDriven { ops: Arc::downgrade(&inbox.ops), id },),
    )?;
    Ok(future)
}
