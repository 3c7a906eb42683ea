//! Percentiles, result lines and raw sample files.

use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// Latency samples in microseconds (fractional).
#[derive(Default, Clone)]
pub struct Samples {
    pub us: Vec<f64>,
}

impl Samples {
    pub fn with_capacity(n: usize) -> Self {
        Samples { us: Vec::with_capacity(n) }
    }

    pub fn push(&mut self, d: Duration) {
        self.us.push(d.as_secs_f64() * 1e6);
    }

    pub fn extend(&mut self, other: Samples) {
        self.us.extend(other.us);
    }

    pub fn len(&self) -> usize {
        self.us.len()
    }

    /// Nearest-rank percentile of a sorted copy; 0 when empty.
    pub fn summary(&self) -> Summary {
        let mut v = self.us.clone();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        let pct = |p: f64| -> f64 {
            if v.is_empty() {
                return 0.0;
            }
            let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
            v[rank.clamp(1, v.len()) - 1]
        };
        let mean = if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
        Summary {
            n: v.len(),
            p50: pct(50.0),
            p90: pct(90.0),
            p99: pct(99.0),
            min: v.first().copied().unwrap_or(0.0),
            max: v.last().copied().unwrap_or(0.0),
            mean,
        }
    }

    /// One sample per line (microseconds), for plotting.
    pub fn write(&self, dir: Option<&Path>, file: &str) -> Option<String> {
        let dir = dir?;
        std::fs::create_dir_all(dir).ok()?;
        let path = dir.join(file);
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).ok()?);
        for s in &self.us {
            writeln!(out, "{s:.2}").ok()?;
        }
        out.flush().ok()?;
        Some(path.display().to_string())
    }
}

pub struct Summary {
    pub n: usize,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Summary {
    /// The latency fields of a result line.
    pub fn fields(&self) -> Map<String, Value> {
        let v = json!({
            "n": self.n,
            "p50_us": r2(self.p50),
            "p90_us": r2(self.p90),
            "p99_us": r2(self.p99),
            "min_us": r2(self.min),
            "max_us": r2(self.max),
            "mean_us": r2(self.mean),
        });
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }
}

/// A result line: `name`, `group` (rows compared with each other), `client`, then fields.
pub fn result(name: &str, group: &str, client: &str, fields: Map<String, Value>) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    m.insert("group".into(), json!(group));
    m.insert("client".into(), json!(client));
    m.extend(fields);
    Value::Object(m)
}

pub fn emit(v: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{v}");
    let _ = out.flush();
}

pub fn r(x: f64) -> f64 {
    r2(x)
}
