//! The preview's HTTP side: binding, request routing, responses.

use std::io::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::error::{Error, Result};

use super::{SiteFiles, State};

const RELOAD_JS: &str = include_str!("reload.js");
/// Endpoints of the preview itself, below the base path.
const PREFIX: &str = "__guild/";
const WORKERS: usize = 16;

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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Binds to `port` on `bind`, or the next free port after it.
pub fn bind(bind: IpAddr, port: u16) -> Result<(Server, u16)> {
    let tries = if port == 0 { 1 } else { 20 };
    let mut last = String::new();
    for offset in 0..tries {
        let candidate = port.saturating_add(offset);
        match Server::http((bind, candidate)) {
            Ok(server) => {
                let actual = server.server_addr().to_ip().map_or(candidate, |a| a.port());
                return Ok((server, actual));
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

/// Starts the worker threads answering requests.
pub fn start(server: Server, state: Arc<State>, bind: IpAddr, port: u16) {
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let server = server.clone();
        let state = state.clone();
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(request, &state, bind, port);
            }
        });
    }
}

fn handle(request: Request, state: &Arc<State>, bind: IpAddr, port: u16) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::empty(StatusCode(405)).with_header(header("Allow", "GET, HEAD")));
        return;
    }
    let site = match state.site.read() {
        Ok(s) => s.clone(),
        Err(_) => return,
    };
    let resolved = resolve(&site, request.url());
    let result = match resolved {
        Resolved::BadRequest => request.respond(Response::from_string("bad request").with_status_code(400)),
        Resolved::Redirect(location) => {
            request.respond(Response::empty(302).with_header(header("Location", &location)))
        }
        Resolved::ReloadScript => request.respond(
            Response::from_string(RELOAD_JS)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store")),
        ),
        Resolved::Events => {
            if !trusted(&request, bind, port) {
                let _ = request.respond(Response::from_string("forbidden").with_status_code(403));
                return;
            }
            let state = state.clone();
            std::thread::spawn(move || events(request, &state));
            Ok(())
        }
        Resolved::File(key) => {
            let bytes = site.files.get(&key).cloned().unwrap_or_default();
            respond_bytes(request, 200, &key, &bytes, &site)
        }
        Resolved::Static(path) => match std::fs::read(&path) {
            Ok(bytes) => respond_bytes(request, 200, &path.to_string_lossy(), &bytes, &site),
            Err(_) => not_found(request, &site),
        },
        Resolved::NotFound => not_found(request, &site),
    };
    let _ = result;
}

fn not_found(request: Request, site: &SiteFiles) -> std::io::Result<()> {
    match site.files.get("404.html") {
        Some(page) => respond_bytes(request, 404, "404.html", page, site),
        // Nothing was ever built (the first build failed): a page that
        // carries the overlay, and reloads once the content is fixed.
        None => respond_bytes(request, 503, "waiting.html", WAITING_PAGE.as_bytes(), site),
    }
}

const WAITING_PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>guild serve: no site yet</title></head>\n<body><main><h1>No site yet</h1><p>The first build failed; the problems are listed below and in the terminal. This page reloads when they are fixed.</p></main></body></html>\n";

fn respond_bytes(request: Request, status: u16, name: &str, bytes: &[u8], site: &SiteFiles) -> std::io::Result<()> {
    let kind = content_type(name);
    let body = if kind.starts_with("text/html") { inject(bytes, site) } else { bytes.to_vec() };
    // tiny_http leaves the body out of HEAD responses itself.
    let response = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    request.respond(response)
}

/// Adds the live-reload script to an HTML page, just before `</body>`.
fn inject(html: &[u8], site: &SiteFiles) -> Vec<u8> {
    let tag =
        format!("<script type=\"module\" src=\"{}{PREFIX}reload.js?v={}\"></script>\n", site.base_path, site.version);
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Whether the events request comes from a page of this server: its
/// `Host` names the server, and its `Origin` (when sent) is this server.
/// Refuses DNS-rebinding pages from other origins.
fn trusted(request: &Request, bind: IpAddr, port: u16) -> bool {
    let get = |name: &str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_ascii_lowercase())
    };
    let mut hosts = vec![format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")];
    hosts.push(match bind {
        IpAddr::V6(a) => format!("[{a}]:{port}"),
        IpAddr::V4(a) => format!("{a}:{port}"),
    });
    let Some(host) = get("Host") else { return false };
    if !hosts.contains(&host) {
        return false;
    }
    match get("Origin") {
        None => true,
        Some(origin) => origin == format!("http://{host}"),
    }
}

/// Streams server-sent events to one client until it goes away.
fn events(request: Request, state: &State) {
    let receiver = state.subscribe();
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    let first = format!("{head}retry: 500\nevent: state\ndata: {}\n\n", state.state_json());
    if writer.write_all(first.as_bytes()).and_then(|()| writer.flush()).is_err() {
        return;
    }
    loop {
        let message = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if writer.write_all(message.as_bytes()).and_then(|()| writer.flush()).is_err() {
            return;
        }
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
