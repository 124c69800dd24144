//! `guild check --external` against servers on this machine, never the
//! internet: a working page, a chain of redirects, a 404, a 429 that asks
//! for a second's patience, one that asks for an hour, a server that
//! never answers, and a TLS handshake with a server that speaks plain
//! HTTP. A second run answers from the cache in `.guild/`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::SiteTest;

type Hits = Arc<Mutex<HashMap<String, usize>>>;

/// A server answering each path as `answer` says, counting requests.
fn server(answer: fn(&str, usize) -> Option<String>) -> (String, Hits) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    let hits: Hits = Arc::default();
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counted = counted.clone();
            std::thread::spawn(move || respond(stream, answer, &counted));
        }
    });
    (origin, hits)
}

fn respond(mut stream: TcpStream, answer: fn(&str, usize) -> Option<String>, hits: &Hits) {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
        // A TLS handshake (a record starting 0x16): answered in plain
        // HTTP, as a web server on an http port answers it.
        if request.first() == Some(&0x16) {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return;
        }
    }
    let text = String::from_utf8_lossy(&request);
    // A TLS client hello is not a request line: answer nothing sensible.
    let Some(path) = text.split_whitespace().nth(1).map(str::to_string) else {
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
    };
    let n = {
        let mut hits = hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    match answer(&path, n) {
        Some(head) => {
            let _ = stream.write_all(format!("{head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes());
        }
        // Never answers: the client's timeout decides.
        None => std::thread::sleep(Duration::from_secs(30)),
    }
}

fn site_with_links(web: &str, slow: &str) -> SiteTest {
    let links = [
        format!("[works](http://{web}/ok)"),
        format!("[moved twice](http://{web}/moved)"),
        format!("[gone](http://{web}/missing)"),
        format!("[busy for a second](http://{web}/busy)"),
        format!("[busy for an hour](http://{web}/always-busy)"),
        format!("[never answers](http://{slow}/slow)"),
        format!("[not TLS](https://{web}/ok)"),
        format!("[ignored](http://{web}/private/x)"),
        format!("Bare: http://{web}/ok#section"),
    ];
    SiteTest::new()
        .file("community.yaml", "title: Links\nexternal_links:\n  timeout: 1s\n  ignore: [\"http://*/private/*\"]\n")
        .file("pages/links.md", &format!("# Links\n\n{}\n", links.join("\n\n")))
}

#[test]
fn external_links_are_asked_for_patiently_and_remembered() {
    let (web, hits) = server(|path, n| match path {
        "/ok" => Some("HTTP/1.1 200 OK".into()),
        "/moved" => Some("HTTP/1.1 301 Moved Permanently\r\nLocation: /moved-again".into()),
        "/moved-again" => Some("HTTP/1.1 308 Permanent Redirect\r\nLocation: /ok".into()),
        "/busy" if n == 1 => Some("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1".into()),
        "/busy" => Some("HTTP/1.1 200 OK".into()),
        "/always-busy" => Some("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3600".into()),
        _ => Some("HTTP/1.1 404 Not Found".into()),
    });
    let (slow, slow_hits) = server(|_, _| None);
    let site = site_with_links(&web, &slow);

    // Off by default: a check asks nothing.
    site.check().expect_code(0);
    assert!(hits.lock().unwrap().is_empty());

    let run = site.run(&["check", "--external", "--color", "never"]);
    let err = &run.stderr;
    assert!(
        err.contains(&format!("warning[broken-external-link]: `http://{web}/missing` answers 404 Not Found")),
        "{err}"
    );
    assert!(err.contains("pages/links.md:7:1"), "pointed at where it is written: {err}");
    assert!(
        err.contains(&format!(
            "warning[unchecked-external-link]: `http://{web}/always-busy` kept answering that it is busy"
        )),
        "{err}"
    );
    assert!(err.contains("retry after 3600 s"), "{err}");
    assert!(err.contains(&format!("`http://{slow}/slow` cannot be reached: no answer within 1 s")), "{err}");
    assert!(err.contains(&format!("`https://{web}/ok` cannot be reached: the TLS handshake failed")), "{err}");
    for fine in ["/ok`", "/moved`", "/busy`", "/private/"] {
        assert!(!err.contains(&format!("{web}{fine}")) || fine == "/ok`", "{fine}: {err}");
    }
    assert!(!err.contains(&format!("`http://{web}/ok`")), "{err}");
    assert!(err.contains("checked 7 external links (0 from the cache in .guild/, 1 ignored)"), "{err}");
    let counts = hits.lock().unwrap().clone();
    assert_eq!(counts.get("/busy"), Some(&2), "asked again after the second it asked for: {counts:?}");
    assert_eq!(counts.get("/always-busy"), Some(&1), "an hour is not waited for: {counts:?}");
    assert_eq!(counts.get("/missing"), Some(&1), "a 404 is not asked again: {counts:?}");
    assert_eq!(counts.get("/moved-again"), Some(&1), "the redirects were followed: {counts:?}");
    assert_eq!(counts.get("/ok"), Some(&2), "the page and the end of the redirects, once each: {counts:?}");
    assert!(!counts.contains_key("/private/x"), "ignored: {counts:?}");
    assert_eq!(slow_hits.lock().unwrap().get("/slow"), Some(&3), "a timeout is tried three times");
    assert!(site.root().join(".guild/external-links.json").is_file());

    // The second run answers from the cache: nothing is asked.
    let before = (hits.lock().unwrap().values().sum::<usize>(), slow_hits.lock().unwrap().values().sum::<usize>());
    let again = site.run(&["check", "--external", "--color", "never"]);
    assert!(again.stderr.contains("checked 7 external links (7 from the cache in .guild/, 1 ignored)"), "{again:?}");
    assert!(again.stderr.contains("answers 404 Not Found"), "the cached result is still reported");
    let after = (hits.lock().unwrap().values().sum::<usize>(), slow_hits.lock().unwrap().values().sum::<usize>());
    assert_eq!(before, after, "no request on the second run");
}

#[test]
fn a_mistake_in_external_links_is_named() {
    let site = SiteTest::new()
        .file("community.yaml", "title: Links\nexternal_links:\n  acept: [403]\n  cache: soon\n")
        .file("pages/a.md", "# A\n");
    let run = site.check();
    run.expect_code(1);
    assert!(run.stderr.contains("unknown key `external_links.acept`"), "{run:?}");
    assert!(run.stderr.contains("`accept`"), "{run:?}");
    assert!(run.stderr.contains("`external_links.cache` must be a duration, found `soon`"), "{run:?}");
}
