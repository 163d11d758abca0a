//! The accept loop and the connections: a thread per connection, at most
//! [`MAX_CONNECTIONS`], each with deadlines, and the live-reload stream.

use super::request::{HeadError, MAX_LINE, read_head};
use super::response::{Response, write_response};
use super::{Answer, Shared, answer};
use std::io::{BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Connections served at once; more are answered 503 and closed.
pub(crate) const MAX_CONNECTIONS: usize = 1024;
/// How long a client may take to send a whole request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long a kept-alive connection may wait for its next request.
const IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a write to a client may block.
const WRITE_TIMEOUT: Duration = Duration::from_secs(15);

/// Serves requests on one connection until it closes, times out or asks
/// for the event stream.
fn connection(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(MAX_LINE, stream);
    let set_timeout = |s: &TcpStream, d: Duration| {
        let _ = s.set_read_timeout(Some(d.max(Duration::from_millis(1))));
    };
    loop {
        let req = match read_head(&mut reader, IDLE_TIMEOUT, HEAD_DEADLINE, &set_timeout) {
            Ok(r) => r,
            Err(HeadError::Closed | HeadError::Io | HeadError::Timeout) => return,
            Err(HeadError::Bad) => {
                let resp = Response::plain(400, "Bad request.\n");
                let _ = write_response(&mut writer, &resp, false, false);
                return;
            }
            Err(HeadError::TooLarge(status)) => {
                let resp = Response::plain(status, "The request is too large.\n");
                let _ = write_response(&mut writer, &resp, false, false);
                return;
            }
        };
        let stopping = shared.live.lock().map_or(true, |s| s.stopping);
        let keep_alive = req.keep_alive() && !req.has_body() && !stopping;
        match answer(shared, &req) {
            Answer::Events => {
                stream_events(shared, &mut writer);
                return;
            }
            Answer::Respond(resp) => {
                let head_only = req.method == "HEAD";
                let keep = keep_alive && resp.status < 400;
                if write_response(&mut writer, &resp, head_only, keep).is_err() || !keep {
                    return;
                }
            }
        }
    }
}

/// Server-Sent Events: the current error state at once, then an event per
/// rebuild, and a comment every 15 s to keep the connection open.
fn stream_events(shared: &Shared, w: &mut TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    let Ok(state) = shared.live.lock() else {
        return;
    };
    let mut seen = state.generation;
    let first = match &state.errors {
        Some(e) => format!("event: errors\ndata: {e}\n\n"),
        None => ": connected\n\n".to_string(),
    };
    drop(state);
    if w.write_all(first.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let Ok(guard) = shared.live.lock() else {
            return;
        };
        let Ok((state, timeout)) =
            shared
                .wake
                .wait_timeout_while(guard, Duration::from_secs(15), |s| {
                    s.generation == seen && !s.stopping
                })
        else {
            return;
        };
        if state.stopping {
            return;
        }
        let message = if timeout.timed_out() {
            ": ping\n\n".to_string()
        } else {
            let seen_before = seen;
            seen = state.generation;
            match &state.errors {
                Some(e) => format!("event: errors\ndata: {e}\n\n"),
                None => format!(
                    "event: reload\ndata: {}\n\n",
                    state.changed_since(seen_before)
                ),
            }
        };
        drop(state);
        if w.write_all(message.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

/// True for accept errors that mean "out of resources for now": keep the
/// listener and try again shortly (issue: once descriptors ran out, the
/// server stopped accepting for good).
fn is_resource_error(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        return matches!(
            code,
            libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM
        );
    }
    let _ = e;
    false
}

/// A running server: the accept loop and its connections.
pub(crate) struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts accepting on `listener`, serving from `shared`.
    pub(crate) fn start(listener: TcpListener, shared: Arc<Shared>) -> std::io::Result<Server> {
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let active = Arc::new(AtomicUsize::new(0));
        let stopping = Arc::clone(&stop);
        let accept = std::thread::Builder::new()
            .name("pestle-accept".into())
            .spawn(move || {
                while !stopping.load(Ordering::SeqCst) {
                    let stream = match listener.accept() {
                        Ok((s, _)) => s,
                        Err(e) if is_resource_error(&e) => {
                            std::thread::sleep(Duration::from_millis(50));
                            continue;
                        }
                        Err(_) => continue,
                    };
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                        let mut s = stream;
                        let _ = s.set_write_timeout(Some(Duration::from_millis(200)));
                        let resp = Response::plain(503, "Too many connections; try again.\n");
                        let _ = write_response(&mut s, &resp, false, false);
                        continue;
                    }
                    active.fetch_add(1, Ordering::SeqCst);
                    let shared = Arc::clone(&shared);
                    let count = Arc::clone(&active);
                    let spawned = std::thread::Builder::new()
                        .name("pestle-conn".into())
                        .stack_size(256 * 1024)
                        .spawn(move || {
                            connection(&shared, stream);
                            count.fetch_sub(1, Ordering::SeqCst);
                        });
                    if spawned.is_err() {
                        // Out of threads: the connection is dropped, the
                        // server goes on.
                        active.fetch_sub(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
            })?;
        Ok(Server {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    /// Stops accepting and waits for the accept loop to end.
    pub(crate) fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own.
        let wake = if self.addr.ip().is_unspecified() {
            SocketAddr::new(IpAddr::from([127, 0, 0, 1]), self.addr.port())
        } else {
            self.addr
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_millis(500));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}
