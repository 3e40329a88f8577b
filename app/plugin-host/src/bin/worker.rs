//! `anfang-plugin-worker`: the sandboxed child one plugin runs in. The
//! installed app runs the same function as `anfang plugin-worker`; this
//! program lets the plugin host's own tests run it exactly that way.

fn main() -> std::process::ExitCode {
    anfang_plugin_host::worker::child_main()
}
