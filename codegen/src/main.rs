//! `cargo run -p tcroom-codegen [-- --check]`: see the library's documentation.

use std::process::ExitCode;

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("tcroom-codegen: unknown argument '{other}' (usage: tcroom-codegen [--check])");
            return ExitCode::from(2);
        }
    };
    let root = tcroom_codegen::root();
    if check {
        let stale = tcroom_codegen::stale(&root);
        if stale.is_empty() {
            println!("tcroom-codegen: every generated file is up to date");
            return ExitCode::SUCCESS;
        }
        for path in stale {
            eprintln!("tcroom-codegen: {path} differs from the catalogue: run `cargo run -p tcroom-codegen`");
        }
        return ExitCode::FAILURE;
    }
    for out in tcroom_codegen::outputs() {
        let path = root.join(out.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(out.content.as_str()) {
            continue;
        }
        if let Some(dir) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                eprintln!("tcroom-codegen: cannot create {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
        }
        if let Err(e) = std::fs::write(&path, &out.content) {
            eprintln!("tcroom-codegen: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", out.path);
    }
    ExitCode::SUCCESS
}
