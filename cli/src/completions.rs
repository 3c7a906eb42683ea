//! `tcroom completions SHELL`: a completion script for the shell, catalogue commands included.

use clap_complete::Shell;

#[derive(clap::Args, Debug)]
#[command(after_help = "Install:\n  \
    bash:       tcroom completions bash > ~/.local/share/bash-completion/completions/tcroom\n  \
    zsh:        tcroom completions zsh > ~/.zfunc/_tcroom   (with fpath+=~/.zfunc before compinit)\n  \
    fish:       tcroom completions fish > ~/.config/fish/completions/tcroom.fish\n  \
    powershell: tcroom completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    shell: Shell,
}

/// Writes the script for `cli` (the whole command tree) to standard output.
pub fn run(a: &CompletionsArgs, mut cli: clap::Command) {
    clap_complete::generate(a.shell, &mut cli, "tcroom", &mut std::io::stdout());
}
