//! Slugs and URLs: a slug is stable, NFC and never a path; a page URL made
//! of any segments stays one file below the output root.
#![no_main]

use guild::url::{UrlPath, Urls, percent_decode, slugify};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;

fuzz_target!(|input: (String, Vec<String>, Option<String>)| {
    let (text, segments, base) = input;
    let slug = slugify(&text);
    assert_eq!(slugify(&slug), slug, "not idempotent for {text:?}");
    assert_eq!(slug.nfc().collect::<String>(), slug, "not NFC for {text:?}");
    assert!(!slug.contains(['/', '\\', '.', '\0']), "{slug:?} from {text:?}");
    assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");

    let slugs: Vec<String> = segments.iter().map(|s| slugify(s)).filter(|s| !s.is_empty()).collect();
    let page = UrlPath::page(&slugs);
    let file = page.output_file();
    assert!(!file.starts_with('/'), "{file}");
    assert!(file.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{file}");
    assert!(file.ends_with("index.html"));

    // `community.yaml` lets only these through.
    let base = base.filter(|b| guild::config::is_valid_base_url(b));
    let urls = Urls::new(base.as_deref());
    let href = urls.href(&page);
    assert!(href.starts_with(urls.base_path()), "{href} outside {}", urls.base_path());
    assert!(!href.contains(['"', '<', '>', ' ', '\\']), "{href}");
    let decoded = percent_decode(&href);
    assert!(decoded.split('/').all(|s| s != ".."), "{href}");
    let _ = percent_decode(&text);
});
