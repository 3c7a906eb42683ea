//! `tcroom-hostile MODE`: serves one misbehaviour on 127.0.0.1 until killed (or until its
//! standard input closes). The first line on standard output is
//! `{"mode":"...","web_port":N,"ws_port":N}`; every leak (credentials or requests that went
//! where they must not) is printed to standard error as a line starting with `LEAK:`.
//! `tcroom-hostile --list` prints the modes.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;
use tcroom_hostile::{Mode, Server};
use tokio::io::AsyncReadExt;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.as_slice() {
        [flag] if flag == "--list" => {
            for m in Mode::ALL {
                println!("{m}");
            }
            return ExitCode::SUCCESS;
        }
        [name] => match Mode::from_name(name) {
            Some(m) => m,
            None => {
                eprintln!("tcroom-hostile: no mode '{name}' (--list shows them)");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: tcroom-hostile MODE | --list");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tcroom-hostile: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let server = match Server::start(mode).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("tcroom-hostile: cannot bind: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("{{\"mode\":\"{mode}\",\"web_port\":{},\"ws_port\":{}}}", server.web_port(), server.ws_port());
        let _ = std::io::stdout().flush();
        // Until standard input closes (a test runner that dies takes the server with it).
        let stdin_closed = async {
            let mut stdin = tokio::io::stdin();
            let mut buf = [0u8; 64];
            while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
        };
        tokio::pin!(stdin_closed);
        let mut told = 0;
        loop {
            tokio::select! {
                _ = &mut stdin_closed => break,
                _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            }
            let leaks = server.leaks();
            for leak in &leaks[told..] {
                eprintln!("LEAK: {leak}");
            }
            told = leaks.len();
        }
        ExitCode::SUCCESS
    })
}
