//! The confinement a plugin's child process enters before the library is
//! opened (its initialisers run at `dlopen`, so this must come first).
//!
//! Two layers, both from well-kept crates rather than a hand-built BPF
//! program or a setuid helper:
//!
//! - **Landlock** (crate `landlock`, the upstream project's own): the file
//!   system is read-only system library folders plus one private folder
//!   the parent made for this child; the data folder, the device key, the
//!   trust list and the home folder are simply not there. From kernel ABI 4
//!   TCP bind/connect are refused too, and from ABI 6 signals and abstract
//!   sockets to processes outside the sandbox. Landlock needs no root and
//!   no user namespaces (bubblewrap needs one or the other, and is not on a
//!   fresh laptop).
//! - **seccomp** (crate `seccompiler`, Firecracker's compiler, pure Rust, no
//!   libseccomp to install): a deny list for what Landlock does not cover:
//!   every socket call (so no network at all, UDP included), running other
//!   programs, ptrace and reading other processes' memory, io_uring (whose
//!   operations bypass the filter), namespaces, mounts, keyrings, BPF and
//!   kernel modules. A deny list rather than an allow list because the
//!   dynamic loader, the C library and a Rust plugin's runtime make calls
//!   that differ by libc version; Landlock carries the file-system part.
//!
//! When the kernel enforces no Landlock at all the child refuses to open
//! the plugin: unconfined plugin code could read the device key.

use std::path::Path;

/// Folders (and files) the dynamic loader may need to read to resolve a
/// plugin's own dependencies (libc, libgcc_s, libstdc++, libm).
const SYSTEM_READ: &[&str] = &[
    "/usr/lib",
    "/usr/lib64",
    "/usr/lib32",
    "/usr/local/lib",
    "/lib",
    "/lib64",
    "/lib32",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
];

/// Confines this process (and every thread and process it starts from now
/// on) to reading the system libraries and reading and writing `private`.
/// Returns a one-line description of what is enforced.
pub(crate) fn enter(private: &Path) -> Result<String, String> {
    set_no_core_dumps();
    let landlock = landlock_rules(private)?;
    seccomp_filter()?;
    Ok(format!("{landlock}; seccomp: no network, exec or ptrace"))
}

fn landlock_rules(private: &Path) -> Result<String, String> {
    use landlock::{
        ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, RestrictionStatus, Ruleset,
        RulesetAttr, RulesetCreatedAttr, RulesetStatus, Scope, path_beneath_rules,
    };
    // The newest ABI this crate knows; older kernels enforce what they can
    // (best effort), and "nothing at all" is refused below.
    let abi = ABI::V6;
    let fail = |e: landlock::RulesetError| format!("Landlock: {e}");
    let readable: Vec<&str> = SYSTEM_READ
        .iter()
        .copied()
        .filter(|p| Path::new(p).exists())
        .collect();
    let status: RestrictionStatus = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(abi))
        .map_err(fail)?
        .handle_access(AccessNet::from_all(abi))
        .map_err(fail)?
        .scope(Scope::from_all(abi))
        .map_err(fail)?
        .create()
        .map_err(fail)?
        .add_rules(path_beneath_rules(&readable, AccessFs::from_read(abi)))
        .map_err(fail)?
        .add_rules(path_beneath_rules([private], AccessFs::from_all(abi)))
        .map_err(fail)?
        .restrict_self()
        .map_err(fail)?;
    match status.ruleset {
        RulesetStatus::NotEnforced => Err(
            "this kernel enforces no Landlock rules (Linux 5.13 or later with Landlock enabled is needed); plugin code is not run unconfined"
                .to_owned(),
        ),
        RulesetStatus::PartiallyEnforced => {
            Ok("Landlock: partly enforced (older kernel ABI)".to_owned())
        }
        RulesetStatus::FullyEnforced => Ok("Landlock: enforced".to_owned()),
    }
}

fn seccomp_filter() -> Result<(), String> {
    use seccompiler::{BpfProgram, SeccompAction, SeccompFilter, TargetArch};
    use std::collections::BTreeMap;
    let arch: TargetArch = std::env::consts::ARCH.try_into().map_err(|_| {
        format!(
            "seccomp: unsupported architecture {}",
            std::env::consts::ARCH
        )
    })?;
    let denied: BTreeMap<i64, Vec<seccompiler::SeccompRule>> =
        DENIED.iter().map(|&nr| (nr, Vec::new())).collect();
    let filter = SeccompFilter::new(
        denied,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| format!("seccomp: {e}"))?;
    let program: BpfProgram = filter.try_into().map_err(|e| format!("seccomp: {e}"))?;
    // Every thread: anfang's child is single-threaded when this runs, but
    // the filter must hold whoever calls this function.
    seccompiler::apply_filter_all_threads(&program).map_err(|e| format!("seccomp: {e}"))
}

/// System calls the plugin's process may not make (they fail with EPERM).
const DENIED: &[i64] = &[
    // Network, of any kind.
    libc::SYS_socket,
    libc::SYS_socketpair,
    libc::SYS_connect,
    libc::SYS_bind,
    libc::SYS_listen,
    libc::SYS_accept,
    libc::SYS_accept4,
    libc::SYS_sendto,
    libc::SYS_sendmsg,
    libc::SYS_sendmmsg,
    libc::SYS_recvfrom,
    libc::SYS_recvmsg,
    libc::SYS_recvmmsg,
    // Running other programs (curl, sh).
    libc::SYS_execve,
    libc::SYS_execveat,
    // Other processes' memory, the parent's signing key among it.
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_pidfd_getfd,
    // io_uring performs file and socket operations the filter never sees.
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    // Leaving the sandbox's view of the system.
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    // Kernel interfaces a checklist plugin has no use for.
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_userfaultfd,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_kexec_load,
    libc::SYS_reboot,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_acct,
];

/// A crashing plugin should not leave a core file (with whatever it read)
/// in its folder or hand it to a system crash collector.
fn set_no_core_dumps() {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit with a valid, initialised struct.
    unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) };
}
