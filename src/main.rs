//! The `pestle` command.

// A build makes tens of millions of small allocations (strings for every
// page, term and template value); mimalloc serves them in about half the
// time of the system allocator and returns memory to it as well. The
// `system-alloc` feature leaves it out, for heap profilers (massif,
// heaptrack) that watch the system allocator.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pestle::cli::main()
}
