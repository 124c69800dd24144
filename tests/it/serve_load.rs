//! `guild serve` under load and attack, on loopback: many connections at
//! once (wrk), clients that never finish their request, hundreds of
//! live-reload tabs, and readers during a rebuild that changes every page.
//! The figures of a longer run come from `examples/bench-load.rs`.

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::serve::{Running, addr, events, get, next_event};
use crate::support::{SiteTest, TODAY};

/// Open file descriptors and resident memory (KiB) of a process.
fn usage(pid: u32) -> (usize, u64) {
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count());
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    (fds, rss)
}

/// Waits until the server holds no more descriptors than `baseline`.
fn fds_settle(pid: u32, baseline: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (fds, _) = usage(pid);
        if fds <= baseline || Instant::now() > deadline {
            return fds;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A tool the load tests need; CI installs it (`.ci/run`), elsewhere the
/// test says what to install and passes unless GUILD_REQUIRE_TOOLS=1.
fn tool(name: &str) -> bool {
    let found = std::process::Command::new(name).arg("--version").output().is_ok();
    if !found {
        assert!(std::env::var("GUILD_REQUIRE_TOOLS").is_err(), "{name} is required: apt-get install {name}");
        eprintln!("skipped: {name} is not installed (apt-get install {name})");
    }
    found
}

fn serve_root(root: &Path) -> (Running, String) {
    let running = Running::start(root, &["serve", "--port", "0", "--now", TODAY, "--color", "never"]);
    let line = running.wait_for("serving http://");
    let url = line.split_whitespace().nth(1).unwrap().to_string();
    (running, url)
}

/// One GET on a fresh connection; the status, the declared length and the
/// body actually received.
fn get_whole(url: &str, path: &str) -> (u16, Option<usize>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr(url)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", addr(url)).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let length = head.lines().find_map(|l| l.strip_prefix("Content-Length: ")).and_then(|v| v.trim().parse().ok());
    (status, length, response[split + 4..].to_vec())
}

/// 256 connections for 5 s over 2,000 practice pages: no socket errors, no
/// status but 2xx, and the descriptors and memory of before afterwards;
/// then a rebuild that changes every page, read by 8 clients meanwhile:
/// each page whole, old or new, never a 404; and 200 live-reload clients
/// that each get exactly one reload for it.
#[test]
fn serve_under_load_and_during_a_rebuild_of_every_page() {
    if !tool("wrk") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    crate::corpus::write(&crate::corpus::generate(&crate::corpus::Plan { docs: 2000, seed: 11 }), &root).unwrap();
    let (running, url) = serve_root(&root);
    let pid = running.pid();
    let base = format!("/{}", url.trim_start_matches("http://").split_once('/').map_or("", |(_, b)| b));

    let pages: Vec<String> = walkdir::WalkDir::new(root.join("practices"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e.path().strip_prefix(root.join("practices")).unwrap().with_extension("");
            format!("{base}practices/{}/", rel.to_string_lossy())
        })
        .filter(|p| !p.ends_with("/index/"))
        .collect();
    assert!(pages.len() > 1000, "{} pages", pages.len());
    for page in pages.iter().take(3) {
        assert_eq!(get(&url, page).0, 200, "{page}");
    }

    // wrk over every page.
    let list = dir.path().join("paths.txt");
    std::fs::write(&list, pages.join("\n")).unwrap();
    let script = dir.path().join("paths.lua");
    std::fs::write(
        &script,
        format!(
            "local paths = {{}}\nfor line in io.lines({:?}) do paths[#paths + 1] = line end\nlocal i = 0\n\
             request = function() i = i + 1 return wrk.format(\"GET\", paths[(i % #paths) + 1]) end\n\
             done = function(summary) io.write(string.format(\"non-2xx: %d\\nrequests: %d\\n\", \
             summary.errors.status, summary.requests)) end\n",
            list.to_string_lossy()
        ),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let (fds_before, rss_before) = usage(pid);
    let origin = format!("http://{}", addr(&url));
    let wrk = std::process::Command::new("wrk")
        .args(["-t2", "-c256", "-d5s", "-s", script.to_str().unwrap(), &origin])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&wrk.stdout).into_owned();
    assert!(wrk.status.success(), "{report}{}", String::from_utf8_lossy(&wrk.stderr));
    assert!(!report.contains("Socket errors"), "{report}");
    assert!(report.contains("non-2xx: 0\n"), "{report}");
    let requests: u64 = report.lines().find_map(|l| l.strip_prefix("requests: ")).unwrap().parse().unwrap();
    assert!(requests > 1000, "{report}");
    assert!(fds_settle(pid, fds_before) <= fds_before, "descriptors leaked: {fds_before} before");
    let (_, rss_after) = usage(pid);
    assert!(rss_after < rss_before + rss_before / 4 + 64 * 1024, "memory {rss_before} KiB -> {rss_after} KiB");

    // 200 open tabs.
    let host = addr(&url);
    let mut tabs: Vec<_> = (0..200)
        .map(|_| {
            let (status, mut stream) = events(&url, &host, Some(&origin));
            assert_eq!(status, 200);
            next_event(&mut stream, "state");
            stream
        })
        .collect();

    // Readers during a rebuild that changes every page (the community's
    // title is in every page's header).
    let old_title = "Generated Guild";
    let config = std::fs::read_to_string(root.join("community.yaml")).unwrap();
    assert!(config.contains(old_title), "{config}");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..8)
        .map(|i| {
            let (url, stop) = (url.clone(), stop.clone());
            let pages: Vec<String> = pages.iter().skip(i).step_by(8).take(400).cloned().collect();
            std::thread::spawn(move || {
                let (mut seen, mut new) = (0, 0);
                while !stop.load(std::sync::atomic::Ordering::SeqCst) || seen == 0 {
                    let page = &pages[seen % pages.len()];
                    let (status, length, body) = get_whole(&url, page);
                    assert_eq!(status, 200, "{page} during the rebuild");
                    assert_eq!(length, Some(body.len()), "{page}: a truncated body");
                    let text = String::from_utf8_lossy(&body);
                    assert!(text.trim_end().ends_with("</html>"), "{page}: not a whole page");
                    let is_new = text.contains("Renamed Guild");
                    assert!(is_new || text.contains(old_title), "{page}: neither old nor new");
                    new += usize::from(is_new);
                    seen += 1;
                }
                (seen, new)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(root.join("community.yaml"), config.replace(old_title, "Renamed Guild")).unwrap();
    running.wait_for("rebuilt");
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut total = 0;
    for reader in readers {
        let (seen, new) = reader.join().expect("a reader failed");
        assert!(new > 0, "a reader never saw the new site");
        total += seen;
    }
    assert!(total > 16, "only {total} reads during the rebuild");

    // Every tab got one reload for it, and no second one.
    for tab in &mut tabs {
        assert_eq!(next_event(tab, "reload"), "2");
        tab.get_ref().set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    }
    for tab in &mut tabs {
        let mut line = String::new();
        match tab.read_line(&mut line) {
            Ok(_) => assert!(!line.contains("reload"), "a second reload: {line}"),
            Err(e) => assert!(matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
        }
    }
    drop(tabs);
}

/// 200 clients that send half a request and stop: new requests are still
/// answered at once, and the server closes the slow ones after its 10 s
/// head deadline (with a 408), down to the descriptors of before.
#[test]
fn slow_header_clients_neither_block_requests_nor_stay() {
    let site = SiteTest::new().file("practices/a.md", "---\ntitle: Alpha\n---\nBody.\n");
    let (running, url) = crate::serve::serve(&site);
    let pid = running.pid();
    let (fds_before, _) = usage(pid);
    let slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut s = TcpStream::connect(addr(&url)).unwrap();
            write!(s, "GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: ", addr(&url)).unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(get(&url, "/practices/a/").0, 200);
    assert!(started.elapsed() < Duration::from_secs(2), "a new request waited {:?}", started.elapsed());

    for mut s in slow {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    }
    assert!(started.elapsed() < Duration::from_secs(25), "slow clients stayed {:?}", started.elapsed());
    assert!(fds_settle(pid, fds_before) <= fds_before, "descriptors of slow clients were kept");
}
