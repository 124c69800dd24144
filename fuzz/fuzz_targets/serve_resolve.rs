//! The preview's path resolver: whatever a client asks for, the answer is
//! a file of the built site, a static file the load stage vetted, a
//! redirect under the base path, or a refusal, never a path outside.
#![no_main]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use guild::output::Files;
use guild::serve::{Resolved, SiteFiles, resolve};
use libfuzzer_sys::fuzz_target;

fn sites() -> &'static [SiteFiles; 2] {
    static SITES: OnceLock<[SiteFiles; 2]> = OnceLock::new();
    SITES.get_or_init(|| {
        let site = |base: &str| {
            let outputs = ["index.html", "practices/oncall/index.html", "tags/über/index.html", "search/manifest.json"];
            let files: Files = outputs.iter().map(|p| (p.to_string(), Arc::new(b"x".to_vec()))).collect();
            let mut statics = HashMap::new();
            statics.insert("images/a.svg".to_string(), PathBuf::from("/repo/static/images/a.svg"));
            SiteFiles { version: 1, base_path: base.into(), files: Arc::new(files), statics }
        };
        [site("/"), site("/guild/")]
    })
}

fuzz_target!(|input: (bool, &str)| {
    let (sub, path) = input;
    let site = &sites()[usize::from(sub)];
    match resolve(site, path) {
        Resolved::File(key) => assert!(site.files.contains_key(&key), "{path:?} -> {key:?}"),
        Resolved::Static(file) => assert!(site.statics.values().any(|f| *f == file), "{path:?} -> {file:?}"),
        Resolved::Redirect(to) => {
            assert!(to.starts_with(&site.base_path), "{path:?} -> {to:?}");
            assert!(!to.contains("://") && !to.starts_with("//"), "open redirect {path:?} -> {to:?}");
            assert!(!to.contains(['\r', '\n']), "header injection {path:?} -> {to:?}");
        }
        Resolved::ReloadScript | Resolved::Events | Resolved::NotFound | Resolved::BadRequest => {}
    }
});
