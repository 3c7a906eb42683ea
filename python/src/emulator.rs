//! The emulator in-process, for `tcroom.testing.Emulator`.
//!
//! Emulator calls take its locks, and its tasks may log (taking the GIL) while holding them, so
//! every call here releases the GIL first.

use crate::convert::{dict_to_json, json_to_py, seconds};
use crate::errors::{self, invalid};
use crate::op::block_on;
use crate::runtime;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};
use std::sync::Mutex;
use std::time::Duration;
use tcroom_emulator::{config_from_scenario, Emulator, Faults};

#[pyclass(module = "tcroom._native", name = "Emulator", frozen)]
pub struct NativeEmulator {
    emu: Mutex<Option<Emulator>>,
    faults: Faults,
    host: String,
    web_port: u16,
    ws_port: u16,
    http_port: u16,
    pid: u32,
}

impl NativeEmulator {
    fn check(&self, py: Python<'_>) -> PyResult<()> {
        if runtime::forked(self.pid) {
            return Err(errors::forked(py));
        }
        Ok(())
    }

    /// Runs `f` on the running emulator with the GIL released.
    fn with<T: Send>(&self, py: Python<'_>, f: impl FnOnce(&Emulator) -> T + Send) -> PyResult<T> {
        self.check(py)?;
        let out = py.detach(|| self.emu.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(f));
        out.ok_or_else(|| errors::new_error(py, "ClosedError", "the emulator is stopped", None))
    }
}

#[pymethods]
impl NativeEmulator {
    /// Starts an emulator from a scenario (the JSON format of emulator/README.md).
    #[staticmethod]
    fn start(py: Python<'_>, scenario: &str) -> PyResult<NativeEmulator> {
        crate::logging::refresh(py);
        let config = config_from_scenario(scenario).map_err(|e| invalid(py, &e))?;
        let emu = block_on(py, Emulator::start(config))?
            .map_err(|e| errors::new_error(py, "Error", &format!("cannot start the emulator: {e}"), None))?;
        Ok(NativeEmulator {
            faults: emu.faults(),
            host: emu.host().to_string(),
            web_port: emu.web_port(),
            ws_port: emu.ws_port(),
            http_port: emu.http_port(),
            emu: Mutex::new(Some(emu)),
            pid: runtime::pid(),
        })
    }

    #[getter]
    fn host(&self) -> &str {
        &self.host
    }
    #[getter]
    fn web_port(&self) -> u16 {
        self.web_port
    }
    #[getter]
    fn ws_port(&self) -> u16 {
        self.ws_port
    }
    #[getter]
    fn http_port(&self) -> u16 {
        self.http_port
    }

    #[getter]
    fn running(&self, py: Python<'_>) -> bool {
        py.detach(|| self.emu.lock().unwrap_or_else(|e| e.into_inner()).is_some())
    }

    /// Stops accepting, closes every connection, returns when they are gone. Idempotent.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        self.check(py)?;
        let emu = py.detach(|| self.emu.lock().unwrap_or_else(|e| e.into_inner()).take());
        if let Some(emu) = emu {
            block_on(py, emu.shutdown())?;
        }
        Ok(())
    }

    /// Sends a raw notification (a dict with `method: "event"`) to every authorized connection.
    fn emit(&self, py: Python<'_>, event: &Bound<'_, PyDict>) -> PyResult<()> {
        let v = Value::Object(dict_to_json(event)?);
        self.with(py, move |e| e.emit(v))
    }

    /// Runs a test-only action (`incomingCall`, `plugDevice`... emulator/README.md) on the
    /// shared room, as the method `emulator.<action>` would: its notifications go to every
    /// authorized connection, and its reply fields (with `result: true`) come back as a dict. A
    /// refusal (unknown action or parameter, wrong state, isolated rooms) raises `RefusedError`
    /// with the emulator's text.
    #[pyo3(signature = (action, params=None))]
    fn control<'py>(
        &self,
        py: Python<'py>,
        action: &str,
        params: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let params = Value::Object(match params {
            Some(d) => dict_to_json(d)?,
            None => Map::new(),
        });
        // Actions start timers (a call rings, a user answers) on the emulator's runtime.
        let rt = crate::op::handle(py)?;
        let name = action.to_owned();
        let outcome = self.with(py, move |e| {
            let _guard = rt.enter();
            e.control(&name, params)
        })?;
        match outcome {
            Ok(reply) => json_to_py(py, &reply),
            Err(why) => {
                let method = format!("emulator.{action}");
                let raw = serde_json::json!({"method": method, "result": false, "error": why});
                Err(errors::to_py(py, &tcroom_core::Error::Refused { method, message: why, raw }))
            }
        }
    }

    fn set_tariff(&self, py: Python<'_>, tariff: &Bound<'_, PyDict>) -> PyResult<()> {
        let v = Value::Object(dict_to_json(tariff)?);
        self.with(py, move |e| e.set_tariff(v))
    }

    fn connection_count(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, |e| e.connection_count())
    }

    fn close_all_connections(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |e| e.close_all_connections())
    }

    fn delay_reply(&self, py: Python<'_>, method: &str, delay: f64) -> PyResult<()> {
        self.check(py)?;
        let d = seconds(py, Some(delay), Duration::ZERO)?;
        let f = self.faults.clone();
        py.detach(|| f.delay_reply(method, d));
        Ok(())
    }

    fn drop_reply(&self, py: Python<'_>, method: &str) -> PyResult<()> {
        self.check(py)?;
        py.detach(|| self.faults.drop_reply(method));
        Ok(())
    }

    fn close_on(&self, py: Python<'_>, method: &str) -> PyResult<()> {
        self.check(py)?;
        py.detach(|| self.faults.close_on(method));
        Ok(())
    }

    fn send_garbage(&self, py: Python<'_>, text: &str) -> PyResult<()> {
        self.check(py)?;
        py.detach(|| self.faults.send_garbage(text));
        Ok(())
    }

    fn send_huge_frame(&self, py: Python<'_>, size: usize) -> PyResult<()> {
        self.check(py)?;
        py.detach(|| self.faults.send_huge_frame(size));
        Ok(())
    }

    fn set_shuffle(&self, py: Python<'_>, on: bool) -> PyResult<()> {
        self.check(py)?;
        py.detach(|| self.faults.set_shuffle(on));
        Ok(())
    }

    fn clear_faults(&self, py: Python<'_>) -> PyResult<()> {
        self.check(py)?;
        py.detach(|| self.faults.clear());
        Ok(())
    }
}

impl Drop for NativeEmulator {
    fn drop(&mut self) {
        let emu = self.emu.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(emu) = emu {
            runtime::dispose(self.pid, emu);
        }
        let faults = self.faults.clone();
        runtime::dispose(self.pid, faults);
    }
}
