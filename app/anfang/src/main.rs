//! The anfang binary: parses the command line, resolves the context, and
//! hands over to the terminal interface or to one command. It is also the
//! one place where errors are reported to the user.

/// Prints one line on standard output like `println!`, but a reader that
/// stopped (`anfang checklists list | head -1`) ends nothing: the command
/// goes on to its end, and its exit status, as it would have.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::out::line(format_args!($($arg)*))
    };
}

mod cli;
mod cmd;
mod context;
mod demo;
mod logging;
mod method_doc;
mod out;
mod passphrase;
mod report;
mod terminal;

use anfang_core::Lang;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A plugin's sandboxed child: before anything else (no data folder, no
    // logging, no threads), as the plugin host requires.
    #[cfg(target_os = "linux")]
    if std::env::args_os().nth(1).as_deref()
        == Some(std::ffi::OsStr::new(anfang_plugin_host::worker::SUBCOMMAND))
    {
        return anfang_plugin_host::worker::child_main();
    }
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            eprintln!("anfang: {}", report::usage_line(&err));
            return ExitCode::from(2);
        }
        // --help and --version: clap prints them as they are.
        Err(err) => err.exit(),
    };
    let lang_tag = cli.lang.clone();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            let lang = context::Context::language(lang_tag.as_deref()).unwrap_or(Lang::En);
            eprintln!("anfang: {}", out::clean(&report::error_line(&err, lang)));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    let lang = match context::Context::language(cli.lang.as_deref()) {
        Ok(lang) => lang,
        Err(err) => {
            eprintln!("anfang: {err:#}");
            // A bad option value is a usage error.
            return Ok(ExitCode::from(2));
        }
    };
    let ctx = context::Context::resolve(cli.data_dir, lang, cli.plugin_dirs)?;
    use cli::Command;
    match cli.command {
        None => cmd::tui::run(&ctx),
        Some(Command::Demo(args)) => demo::run(&ctx, &args),
        Some(Command::Plugins(args)) => cmd::plugins::run(&ctx, &args),
        Some(Command::Bundle(args)) => cmd::bundle::run(&ctx, &args),
        Some(Command::Merge(args)) => cmd::merge::run(&ctx, &args),
        Some(Command::Verify(args)) => cmd::verify::run(&ctx, &args),
        Some(Command::Rebuild) => cmd::rebuild::run(&ctx),
        Some(Command::Scores(args)) => cmd::scores::run(&ctx, &args),
        Some(Command::Report(args)) => cmd::year_report::run(&ctx, &args),
        Some(Command::Export(args)) => cmd::export::run(&ctx, &args),
        Some(Command::Import(args)) => cmd::import::run(&ctx, &args),
        Some(Command::Office(args)) => cmd::office::run(&ctx, &args),
        Some(Command::Enroll(args)) => cmd::enroll::run(&ctx, &args),
        Some(Command::Roster(args)) => cmd::roster::run(&ctx, &args),
        Some(Command::Review(args)) => cmd::review::run(&ctx, &args),
        Some(Command::Units(args)) => cmd::units::run(&ctx, &args),
        Some(Command::Checklists(args)) => cmd::checklists::run(&ctx, &args),
        Some(Command::Bulletin(args)) => cmd::bulletin::run(&ctx, &args),
        Some(Command::Method(args)) => cmd::method::run(&ctx, &args),
        Some(Command::Deduct(args)) => cmd::deduct::run(&ctx, &args),
    }
}
