//! `anfang-plugin-worker`: the sandboxed child one plugin runs in. The
//! installed app runs the same function as `anfang plugin-worker`; this
//! program lets the plugin host's own tests run it exactly that way.

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    anfang_plugin_host::worker::child_main()
}

/// Without Landlock there is no sandbox, so no plugin code runs.
#[cfg(not(target_os = "linux"))]
fn main() -> std::process::ExitCode {
    eprintln!("anfang plugin worker: the plugin sandbox needs Linux (Landlock)");
    std::process::ExitCode::FAILURE
}
