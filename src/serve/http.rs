//! The preview's HTTP side: binding, request routing, responses.

use std::io::{BufRead, BufReader, BufWriter, Write as _};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

use super::{SiteFiles, State};

const RELOAD_JS: &str = include_str!("reload.js");
/// Endpoints of the preview itself, below the base path.
const PREFIX: &str = "__guild/";

/// What a request path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A built file, by its output path.
    File(String),
    /// A static file on disk.
    Static(PathBuf),
    Redirect(String),
    ReloadScript,
    Events,
    NotFound,
    BadRequest,
}

/// Resolves a request path (with any query) against a site. Pure, so the
/// path rules can be tested and fuzzed without a socket.
pub fn resolve(site: &SiteFiles, raw: &str) -> Resolved {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = decode(path) else { return Resolved::BadRequest };
    if decoded.chars().any(|c| c == '\\' || c.is_control()) {
        return Resolved::BadRequest;
    }
    if decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return Resolved::BadRequest;
    }
    let base = site.base_path.as_str();
    if decoded == "/" && base != "/" {
        return Resolved::Redirect(base.to_string());
    }
    if decoded.len() + 1 == base.len() && base.starts_with(decoded.as_str()) {
        return Resolved::Redirect(base.to_string());
    }
    let Some(rel) = decoded.strip_prefix(base) else { return Resolved::NotFound };
    if let Some(own) = rel.strip_prefix(PREFIX) {
        return match own {
            "reload.js" => Resolved::ReloadScript,
            "events" => Resolved::Events,
            _ => Resolved::NotFound,
        };
    }
    let key = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    if site.files.contains_key(&key) {
        return Resolved::File(key);
    }
    if let Some(file) = site.statics.get(&key) {
        return Resolved::Static(file.clone());
    }
    if !rel.is_empty() && !rel.ends_with('/') && site.files.contains_key(&format!("{rel}/index.html")) {
        return Resolved::Redirect(format!("{base}{}/", path_tail(path, base)));
    }
    Resolved::NotFound
}

/// The raw (still encoded) part of `path` after the base path.
fn path_tail<'a>(path: &'a str, base: &str) -> &'a str {
    path.strip_prefix(base).unwrap_or(path)
}

/// Percent-decodes a path once; `None` when the bytes are not UTF-8 or an
/// escape is malformed. (Decoding once means `%252e` stays `%2e`: a name,
/// never a dot.)
fn decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            let hi = bytes.get(i + 1).copied().and_then(hex)?;
            let lo = bytes.get(i + 2).copied().and_then(hex)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Binds to `port` on `bind`, or the next free port after it.
pub fn bind(bind: IpAddr, port: u16) -> Result<(TcpListener, u16)> {
    let tries = if port == 0 { 1 } else { 20 };
    let mut last = String::new();
    for offset in 0..tries {
        let candidate = port.saturating_add(offset);
        match TcpListener::bind((bind, candidate)) {
            Ok(listener) => {
                if let Err(e) = widen_backlog(&listener) {
                    // The standard queue still works; bursts just wait longer.
                    eprintln!("note: the preview keeps the system's default connection queue ({e})");
                }
                let actual = listener.local_addr().map_or(candidate, |a| a.port());
                return Ok((listener, actual));
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(Error::Read {
        path: PathBuf::from(format!("{bind}:{port}")),
        source: std::io::Error::other(format!(
            "no free port from {port} to {}: {last}",
            port.saturating_add(tries - 1)
        )),
    })
}

/// Connections the kernel queues for `accept` (it caps this at
/// `net.core.somaxconn`, 4096 on current Linux).
const BACKLOG: libc::c_int = 1024;

/// Raises the listening socket's queue from the 128 connections Rust's
/// standard library asks for: a burst of more (a load test opens 256 at
/// once) overflowed it, and each dropped connection waited a second or
/// three for its retry (`ListenOverflows` in /proc/net/netstat).
fn widen_backlog(listener: &TcpListener) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is the listener's own, open and bound for
        // as long as `listener` lives; `listen` on a listening socket only
        // changes its queue length.
        let rc = unsafe { libc::listen(listener.as_raw_fd(), BACKLOG) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(not(unix))]
    let _ = listener;
    Ok(())
}

/// Starts accepting connections, each answered on its own thread.
///
/// The accept loop never gives up: when the process runs out of file
/// descriptors (`EMFILE`) it waits and tries again, while the open
/// connections finish. Past `MAX_CONNECTIONS` a new connection gets a 503.
pub fn start(listener: TcpListener, state: Arc<State>, hosts: Hosts) {
    let open = Arc::new(AtomicUsize::new(0));
    let hosts = Arc::new(hosts);
    std::thread::spawn(move || {
        let mut warned = false;
        loop {
            let stream = match listener.accept() {
                Ok((stream, _)) => stream,
                Err(e) => {
                    if !warned && e.raw_os_error().is_some_and(|c| c == libc::EMFILE || c == libc::ENFILE) {
                        eprintln!("warning: out of file descriptors; new connections wait (raise `ulimit -n`)");
                        warned = true;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
            };
            let connection = Connection { open: open.clone() };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                let _ = refuse_busy(stream);
                drop(connection);
                continue;
            }
            let state = state.clone();
            let hosts = hosts.clone();
            let spawned =
                std::thread::Builder::new().name("guild-http".into()).stack_size(256 * 1024).spawn(move || {
                    let _connection = connection;
                    serve_connection(stream, &state, &hosts);
                });
            if spawned.is_err() {
                // No thread to be had; the stream was dropped with the
                // closure, and the count with it.
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    });
}

/// Counts an open connection until it is dropped.
struct Connection {
    open: Arc<AtomicUsize>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
}

fn refuse_busy(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(1)))?;
    stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
    )
}

/// Connections open at once before new ones get a 503: each holds a
/// thread, and a browser opens six.
const MAX_CONNECTIONS: usize = 1024;
/// How long a client has to send a whole request head, and how long an
/// idle keep-alive connection stays open. A client that trickles its
/// headers (a "slowloris") holds a thread at most this long.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may refuse to take the bytes of a response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest request head accepted; larger ones get a 431.
const MAX_HEAD: usize = 16 * 1024;

/// One request head.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    keep_alive: bool,
    /// The body, if the request announced one (GET and HEAD must not).
    has_body: bool,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why a request head could not be read.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    /// The connection closed (or went quiet) between requests: no answer.
    Closed,
    /// The head was not HTTP/1.x; answered with this status, then closed.
    Bad(u16),
}

/// Answers requests on one connection until it closes, goes quiet, or
/// asks to close.
fn serve_connection(stream: TcpStream, state: &Arc<State>, hosts: &Hosts) {
    let _ = stream.set_nodelay(true);
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut writer = BufWriter::new(stream);
    loop {
        let request = match read_head(&mut reader, HEAD_TIMEOUT) {
            Ok(r) => r,
            Err(HeadError::Closed) => return,
            Err(HeadError::Bad(status)) => {
                let _ = write_response(&mut writer, status, &[], &Body::empty(), false, false);
                return;
            }
        };
        let keep_alive = request.keep_alive && !request.has_body;
        match answer(&request, state, hosts) {
            Answer::Response { status, headers, body } => {
                let head_only = request.method == "HEAD";
                if write_response(&mut writer, status, &headers, &body, head_only, keep_alive).is_err() {
                    return;
                }
            }
            Answer::Events => {
                let _ = events(writer, state);
                return;
            }
        }
        if !keep_alive {
            return;
        }
    }
}

/// Reads one request head within `deadline` in all (not per read, so a
/// trickle of bytes cannot keep a connection forever).
fn read_head(reader: &mut BufReader<TcpStream>, deadline: Duration) -> Result<Request, HeadError> {
    let started = Instant::now();
    let mut head = Vec::new();
    loop {
        let left = deadline.checked_sub(started.elapsed()).filter(|d| !d.is_zero());
        let Some(left) = left else {
            return Err(if head.is_empty() { HeadError::Closed } else { HeadError::Bad(408) });
        };
        if reader.get_ref().set_read_timeout(Some(left)).is_err() {
            return Err(HeadError::Closed);
        }
        let available = match reader.fill_buf() {
            Ok([]) => return Err(HeadError::Closed),
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err(if head.is_empty() { HeadError::Closed } else { HeadError::Bad(408) });
            }
            Err(_) => return Err(HeadError::Closed),
        };
        // Take bytes up to the end of the head, leaving any pipelined
        // request in the buffer.
        let before = head.len();
        head.extend_from_slice(available);
        let end = find_head_end(&head, before.saturating_sub(3));
        let used = match end {
            Some(end) => end - before,
            None => available.len(),
        };
        reader.consume(used);
        if let Some(end) = end {
            head.truncate(end);
            return parse_head(&head);
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::Bad(431));
        }
    }
}

/// The index just past the blank line ending a head, searching from `from`.
fn find_head_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            if bytes.get(i + 1) == Some(&b'\n') {
                return Some(i + 2);
            }
            if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

/// Parses a request head (request line and headers, ending in a blank line).
fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Bad(400))?;
    // Browsers and proxies may send empty lines before a request.
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).skip_while(|l| l.is_empty());
    let line = lines.next().ok_or(HeadError::Bad(400))?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Bad(400));
    };
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => return Err(HeadError::Bad(505)),
        _ => return Err(HeadError::Bad(400)),
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || !target.starts_with('/') {
        return Err(HeadError::Bad(400));
    }
    let mut headers = Vec::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(HeadError::Bad(400))?;
        if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
            return Err(HeadError::Bad(400));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        keep_alive: http11,
        has_body: false,
    };
    if let Some(connection) = request.header("Connection") {
        let tokens = connection.to_ascii_lowercase();
        if tokens.split(',').any(|t| t.trim() == "close") {
            request.keep_alive = false;
        } else if tokens.split(',').any(|t| t.trim() == "keep-alive") {
            request.keep_alive = true;
        }
    }
    request.has_body = request.header("Transfer-Encoding").is_some()
        || request.header("Content-Length").is_some_and(|l| l.trim() != "0");
    Ok(request)
}

/// What a request gets.
enum Answer {
    Response {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Body,
    },
    /// The live-reload event stream, which takes over the connection.
    Events,
}

/// A response body, sent as kept: a built page goes out from the site's
/// shared bytes with the reload script written between its two halves,
/// never copied (28,000 pages a second would otherwise each be copied).
struct Body {
    bytes: Bytes,
    /// Bytes written at this offset: the reload script before `</body>`.
    insert: Option<(usize, String)>,
}

enum Bytes {
    Shared(Arc<Vec<u8>>),
    Owned(Vec<u8>),
    Static(&'static [u8]),
}

impl Body {
    fn new(bytes: Bytes) -> Body {
        Body { bytes, insert: None }
    }

    fn empty() -> Body {
        Body::new(Bytes::Static(b""))
    }

    fn bytes(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Shared(b) => b,
            Bytes::Owned(b) => b,
            Bytes::Static(b) => b,
        }
    }

    fn len(&self) -> usize {
        self.bytes().len() + self.insert.as_ref().map_or(0, |(_, text)| text.len())
    }

    fn write_to(&self, writer: &mut impl std::io::Write) -> std::io::Result<()> {
        let bytes = self.bytes();
        match &self.insert {
            Some((at, text)) => {
                writer.write_all(&bytes[..*at])?;
                writer.write_all(text.as_bytes())?;
                writer.write_all(&bytes[*at..])
            }
            None => writer.write_all(bytes),
        }
    }
}

fn answer(request: &Request, state: &Arc<State>, hosts: &Hosts) -> Answer {
    if request.method != "GET" && request.method != "HEAD" {
        return Answer::Response { status: 405, headers: vec![("Allow", "GET, HEAD".into())], body: Body::empty() };
    }
    // Before anything of the site is read: a page on another origin whose
    // name was rebound to this address must get nothing.
    match request.header("Host") {
        None => return text(400, "bad request: no Host header"),
        Some(host) if !hosts.allows(host) => return text(403, &hosts.refusal(host)),
        Some(_) => {}
    }
    let site = match state.site.read() {
        Ok(s) => s.clone(),
        Err(_) => return text(500, "the server is broken; restart guild serve"),
    };
    match resolve(&site, &request.target) {
        Resolved::BadRequest => text(400, "bad request"),
        Resolved::Redirect(location) => {
            Answer::Response { status: 302, headers: vec![("Location", location)], body: Body::empty() }
        }
        Resolved::ReloadScript => Answer::Response {
            status: 200,
            headers: vec![
                ("Content-Type", "text/javascript; charset=utf-8".into()),
                ("Cache-Control", "no-store".into()),
            ],
            body: Body::new(Bytes::Static(RELOAD_JS.as_bytes())),
        },
        // A HEAD gets the stream's headers, not a stream.
        Resolved::Events if same_origin(request) && request.method == "HEAD" => Answer::Response {
            status: 200,
            headers: vec![("Content-Type", "text/event-stream".into()), ("Cache-Control", "no-store".into())],
            body: Body::empty(),
        },
        Resolved::Events if same_origin(request) => Answer::Events,
        Resolved::Events => text(403, "forbidden"),
        Resolved::File(key) => {
            let bytes = site.files.get(&key).cloned().unwrap_or_default();
            page(200, &key, Bytes::Shared(bytes), &site)
        }
        Resolved::Static(path) => match std::fs::read(&path) {
            Ok(bytes) => page(200, &path.to_string_lossy(), Bytes::Owned(bytes), &site),
            Err(_) => not_found(&site),
        },
        Resolved::NotFound => not_found(&site),
    }
}

fn text(status: u16, body: &str) -> Answer {
    Answer::Response {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
        body: Body::new(Bytes::Owned(body.as_bytes().to_vec())),
    }
}

fn not_found(site: &SiteFiles) -> Answer {
    match site.files.get("404.html") {
        Some(body) => page(404, "404.html", Bytes::Shared(body.clone()), site),
        // Nothing was ever built (the first build failed): a page that
        // carries the overlay, and reloads once the content is fixed.
        None => page(503, "waiting.html", Bytes::Static(WAITING_PAGE.as_bytes()), site),
    }
}

const WAITING_PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>guild serve: no site yet</title></head>\n<body><main><h1>No site yet</h1><p>The first build failed; the problems are listed below and in the terminal. This page reloads when they are fixed.</p></main></body></html>\n";

fn page(status: u16, name: &str, bytes: Bytes, site: &SiteFiles) -> Answer {
    let kind = content_type(name);
    let mut body = Body::new(bytes);
    if kind.starts_with("text/html") {
        body.insert = Some(reload_script(body.bytes(), site));
    }
    Answer::Response {
        status,
        headers: vec![
            ("Content-Type", kind.into()),
            ("Cache-Control", "no-store".into()),
            ("X-Content-Type-Options", "nosniff".into()),
        ],
        body,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

fn write_response(
    writer: &mut BufWriter<TcpStream>,
    status: u16,
    headers: &[(&'static str, String)],
    body: &Body,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let connection = if keep_alive { "keep-alive" } else { "close" };
    head.push_str(&format!("Content-Length: {}\r\nConnection: {connection}\r\n\r\n", body.len()));
    writer.write_all(head.as_bytes())?;
    if !head_only {
        body.write_to(writer)?;
    }
    writer.flush()
}

/// Where the live-reload script goes in an HTML page (just before the
/// last `</body>`, else at the end), and the script tag.
fn reload_script(html: &[u8], site: &SiteFiles) -> (usize, String) {
    let tag =
        format!("<script type=\"module\" src=\"{}{PREFIX}reload.js?v={}\"></script>\n", site.base_path, site.version);
    let at = html.windows(7).rposition(|w| w == b"</body>").unwrap_or(html.len());
    (at, tag)
}

/// Whether the events request comes from a page of this server: its
/// `Origin`, when sent, names the host it asked (whose name `Hosts`
/// allowed), so a page of another origin cannot listen in.
fn same_origin(request: &Request) -> bool {
    let get = |name: &str| request.header(name).map(str::to_ascii_lowercase);
    match (get("Origin"), get("Host")) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin == format!("http://{host}"),
        (Some(_), None) => false,
    }
}

/// The `Host` names the preview answers: loopback names, the address it
/// is bound to (any IP address when bound to all of them, for a phone on
/// the same network), and the names given with `--allow-host`. DNS
/// rebinding needs a name the attacker owns, which none of these is; an
/// IP address must be written as browsers write it (`127.0.0.1`, never
/// `0x7f000001`).
#[derive(Debug, Clone)]
pub struct Hosts {
    bind: IpAddr,
    /// Exact names, or `.example.org` for a domain and its subdomains.
    extra: Vec<String>,
}

impl Hosts {
    pub fn new(bind: IpAddr, extra: &[String]) -> Hosts {
        Hosts { bind, extra: extra.iter().map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect() }
    }

    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = match host.strip_prefix('[') {
            // `[::1]:4000`
            Some(rest) => match rest.split_once(']') {
                Some((v6, "")) => format!("[{v6}]"),
                Some((v6, port)) if port.strip_prefix(':').is_some_and(valid_port) => format!("[{v6}]"),
                _ => return false,
            },
            None => match host.rsplit_once(':') {
                Some((name, port)) if valid_port(port) => name.to_string(),
                Some(_) => return false,
                None => host.clone(),
            },
        };
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if let Some(ip) = canonical_ip(&name) {
            return ip.is_loopback() || ip == self.bind || self.bind.is_unspecified();
        }
        self.extra.iter().any(|allowed| match allowed.strip_prefix('.') {
            Some(domain) => name == domain || name.ends_with(allowed.as_str()),
            None => name == *allowed,
        })
    }

    /// The body of a 403: what was asked, and how to allow it.
    fn refusal(&self, host: &str) -> String {
        format!(
            "guild serve does not answer for the host {host:?}: only localhost, 127.0.0.1, [::1] and the \
             address it listens on, so that no other web page can read the preview. To preview under \
             this name, start it with --allow-host {}\n",
            host.rsplit_once(':').map_or(host, |(name, _)| name)
        )
    }
}

fn valid_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

/// An IP address written the one way browsers write it.
fn canonical_ip(name: &str) -> Option<IpAddr> {
    if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        return v6.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let ip = name.parse::<std::net::Ipv4Addr>().ok()?;
    (ip.to_string() == name).then_some(IpAddr::V4(ip))
}

/// Streams server-sent events to one client until it goes away.
fn events(mut writer: BufWriter<TcpStream>, state: &State) -> std::io::Result<()> {
    let receiver = state.subscribe();
    // No Content-Length: the stream ends when the connection does.
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let first = format!("{head}retry: 500\nevent: state\ndata: {}\n\n", state.state_json());
    writer.write_all(first.as_bytes())?;
    writer.flush()?;
    loop {
        let message = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        writer.write_all(message.as_bytes())?;
        writer.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteFiles {
        let mut files = std::collections::HashMap::new();
        for f in ["index.html", "practices/a/index.html", "404.html", "feed.xml"] {
            files.insert(f.to_string(), Arc::new(b"x".to_vec()));
        }
        let mut statics = std::collections::HashMap::new();
        statics.insert("images/a.svg".to_string(), PathBuf::from("/c/static/images/a.svg"));
        SiteFiles { version: 1, base_path: "/sub/".into(), files: std::sync::Arc::new(files), statics }
    }

    fn check(path: &str, expected: Resolved) {
        assert_eq!(resolve(&site(), path), expected, "{path}");
    }

    #[test]
    fn paths_resolve_under_the_base_path() {
        check("/sub/", Resolved::File("index.html".into()));
        check("/sub/?q=x", Resolved::File("index.html".into()));
        check("/sub/practices/a/", Resolved::File("practices/a/index.html".into()));
        check("/sub/practices/a", Resolved::Redirect("/sub/practices/a/".into()));
        check("/sub/feed.xml", Resolved::File("feed.xml".into()));
        check("/sub/images/a.svg", Resolved::Static(PathBuf::from("/c/static/images/a.svg")));
        check("/", Resolved::Redirect("/sub/".into()));
        check("/sub", Resolved::Redirect("/sub/".into()));
        check("/other/", Resolved::NotFound);
        check("/sub/nope/", Resolved::NotFound);
        check("/sub/__guild/events", Resolved::Events);
    }

    #[test]
    fn traversal_is_refused() {
        for p in [
            "/sub/../etc/passwd",
            "/sub/%2e%2e/etc/passwd",
            "/sub/%2E%2E%2Fetc%2Fpasswd",
            "/sub/..%5c..%5cetc",
            "/sub/a\\b",
            "/sub/%00",
            "/sub/./index.html",
            "/sub/%ff",
            "/sub/%zz",
        ] {
            check(p, Resolved::BadRequest);
        }
        // Decoded once: a double-encoded dot is a name, which does not exist.
        check("/sub/%252e%252e/etc/passwd", Resolved::NotFound);
    }

    #[test]
    fn pages_get_the_reload_script_before_the_last_body_end_without_a_copy() {
        let site = site();
        let html = Arc::new(b"<body>a</body> x </body>\n</html>\n".to_vec());
        let body = match page(200, "a/index.html", Bytes::Shared(html.clone()), &site) {
            Answer::Response { body, .. } => body,
            Answer::Events => unreachable!(),
        };
        assert!(matches!(&body.bytes, Bytes::Shared(b) if Arc::ptr_eq(b, &html)), "the site's bytes are sent as kept");
        let mut out = Vec::new();
        body.write_to(&mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert_eq!(
            text,
            "<body>a</body> x <script type=\"module\" src=\"/sub/__guild/reload.js?v=1\"></script>\n</body>\n</html>\n"
        );
        assert_eq!(body.len(), out.len(), "Content-Length counts the script");

        let (at, _) = reload_script(b"no body end", &site);
        assert_eq!(at, 11, "appended when there is no </body>");
        let css = match page(200, "style.css", Bytes::Owned(b"a{}".to_vec()), &site) {
            Answer::Response { body, .. } => body,
            Answer::Events => unreachable!(),
        };
        assert!(css.insert.is_none() && css.len() == 3, "only HTML gets the script");
    }

    #[test]
    fn only_loopback_names_the_bound_address_and_allowed_hosts_are_answered() {
        let loopback = Hosts::new("127.0.0.1".parse().unwrap(), &[]);
        for host in ["localhost:4000", "LOCALHOST", "app.localhost:4000", "127.0.0.1:4000", "127.0.0.1", "[::1]:4000"] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "evil.example", "evil.example:4000", "0x7f000001", "0x7f000001:4000", "2130706433", "127.1",
            "192.168.1.5:4000", "localhost.evil.example", "localhost:x", "[::1", "",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        let everywhere = Hosts::new("0.0.0.0".parse().unwrap(), &["preview.example".into(), ".tunnel.dev".into()]);
        for host in ["192.168.1.5:4000", "[fe80::1]:4000", "preview.example:443", "a.tunnel.dev", "tunnel.dev"] {
            assert!(everywhere.allows(host), "{host}");
        }
        for host in ["evil.example", "notpreview.example", "eviltunnel.dev", "0300.0250.0001.0005"] {
            assert!(!everywhere.allows(host), "{host}");
        }
        let lan = Hosts::new("192.168.1.5".parse().unwrap(), &[]);
        assert!(lan.allows("192.168.1.5:4000") && !lan.allows("192.168.1.6:4000"));
    }

    #[test]
    fn request_heads_parse_strictly() {
        let head = |text: &str| parse_head(text.as_bytes());
        let r = head("GET /a?b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str(), r.keep_alive), ("GET", "/a?b", false));
        assert_eq!(r.header("host"), Some("x"));
        assert!(head("GET / HTTP/1.1\n\n").unwrap().keep_alive, "1.1 keeps the connection by default");
        assert!(!head("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive, "1.0 closes it by default");
        assert!(head("\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").unwrap().keep_alive);
        assert!(head("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n").unwrap().has_body);
        assert_eq!(head("GET / HTTP/2.0\r\n\r\n"), Err(HeadError::Bad(505)));
        for bad in ["GET /\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "get / HTTP/1.1\r\n\r\n", "GET a HTTP/1.1\r\n\r\n"] {
            assert_eq!(head(bad), Err(HeadError::Bad(400)), "{bad:?}");
        }
        assert_eq!(head("GET / HTTP/1.1\r\nNo colon\r\n\r\n"), Err(HeadError::Bad(400)));
        assert_eq!(head("GET / HTTP/1.1\r\nBad name: x\r\n\r\n"), Err(HeadError::Bad(400)));
        assert_eq!(parse_head(b"GET /\xff HTTP/1.1\r\n\r\n"), Err(HeadError::Bad(400)));
    }

    #[test]
    fn heads_end_at_the_blank_line_and_leave_pipelined_requests() {
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\n\r\nGET /b", 0), Some(18));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\n\nX", 0), Some(16));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\nHost: a\r\n", 0), None);

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(address).unwrap();
            s.write_all(b"GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\n").unwrap();
            std::thread::sleep(Duration::from_millis(50));
            s.write_all(b"Host: a\r\n\r\nGET /three HTTP/1.1\r\n").unwrap();
            std::thread::sleep(Duration::from_millis(400));
        });
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        assert_eq!(read_head(&mut reader, Duration::from_secs(5)).unwrap().target, "/one");
        assert_eq!(read_head(&mut reader, Duration::from_secs(5)).unwrap().target, "/two");
        // Half a head when the deadline passes: a 408.
        assert_eq!(read_head(&mut reader, Duration::from_millis(200)), Err(HeadError::Bad(408)));
        client.join().unwrap();
    }

    #[test]
    fn a_burst_of_connections_waits_in_the_queue_not_for_a_retry() {
        // Nothing accepts here: every connection waits in the listen queue.
        // At the standard library's 128, the 130th connection's handshake
        // was dropped and retried a second later.
        let (listener, port) = bind(IpAddr::from([127, 0, 0, 1]), 0).unwrap();
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let streams: Vec<TcpStream> = (0..300)
            .map(|i| {
                TcpStream::connect_timeout(&address, Duration::from_millis(500))
                    .unwrap_or_else(|e| panic!("connection {i} waited: {e}"))
            })
            .collect();
        assert_eq!(streams.len(), 300);
        drop(listener);
    }

    #[test]
    fn oversized_heads_are_refused() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(address).unwrap();
            let _ = s.write_all(format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD * 2)).as_bytes());
        });
        let (stream, _) = listener.accept().unwrap();
        assert_eq!(read_head(&mut BufReader::new(stream), Duration::from_secs(5)), Err(HeadError::Bad(431)));
        client.join().unwrap();
    }

    /// Request paths built from the pieces traversal attacks are made of.
    fn hostile_path() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("..".to_string()),
            Just(".".to_string()),
            Just("%2e%2e".to_string()),
            Just("%2E.".to_string()),
            Just("%2f".to_string()),
            Just("%5c".to_string()),
            Just("\\".to_string()),
            Just("%00".to_string()),
            Just("%252e".to_string()),
            Just("sub".to_string()),
            Just("practices".to_string()),
            Just("a".to_string()),
            Just("index.html".to_string()),
            Just("images".to_string()),
            Just("a.svg".to_string()),
            Just("__guild".to_string()),
            Just("".to_string()),
            "[a-z%./]{1,6}",
            any::<String>(),
        ];
        (proptest::collection::vec(piece, 0..8), "[?#]?[a-z=&]{0,4}")
            .prop_map(|(pieces, query)| format!("/{}{query}", pieces.join("/")))
    }

    proptest::proptest! {
        #[test]
        fn no_path_resolves_outside_the_site(path in hostile_path()) {
            let site = site();
            match resolve(&site, &path) {
                Resolved::File(key) => {
                    proptest::prop_assert!(site.files.contains_key(&key));
                    proptest::prop_assert!(!key.split('/').any(|s| s == ".." || s == "."));
                }
                Resolved::Static(file) => proptest::prop_assert!(site.statics.values().any(|f| *f == file)),
                Resolved::Redirect(to) => {
                    proptest::prop_assert!(to.starts_with("/sub/"), "{} -> {}", path, to);
                    proptest::prop_assert!(!to.contains(['\r', '\n']));
                }
                Resolved::ReloadScript | Resolved::Events | Resolved::NotFound | Resolved::BadRequest => {}
            }
            let decoded = decode(path.split(['?', '#']).next().unwrap_or(""));
            if decoded.is_some_and(|d| d.split('/').any(|s| s == "..")) {
                proptest::prop_assert_eq!(resolve(&site, &path), Resolved::BadRequest);
            }
        }
    }
}
