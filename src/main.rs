//! The `pestle` command.

// Building a site allocates millions of small strings across threads;
// mimalloc spends far less time on that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pestle::cli::main()
}
