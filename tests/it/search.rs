//! Search: `guild search` from the shell, the static export, and parity
//! between the browser client and tantivy.

use std::path::Path;
use std::process::Command;

use guild::search::{self, query};

use crate::support::{SiteTest, TODAY, run_in, tree};

use crate::corpus;

fn community() -> SiteTest {
    SiteTest::new()
        .file("practices/deploys/rollback.md", "---\ntitle: Rollbacks first\ntags: [deploys]\n---\nRoll back before you debug. A rollback restores a known state.\n")
        .file("practices/oncall/basics.md", "---\ntitle: On-call basics\ntags: [oncall]\nmaintainers: [grace]\n---\nPaging, handoff and installation of the pager app.\n")
        .file("members/grace.md", "---\nname: Grace Okafor\nexpertise: [kubernetes]\n---\nGrace installs clusters.\n")
}

#[test]
fn search_finds_ranks_and_highlights() {
    let site = community();
    let run = site.run(&["search", "rollback"]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("1. Rollbacks first (practice)\n   /practices/deploys/rollback/\n"), "{run:?}");
    assert!(run.stdout.contains("[rollback]"), "{run:?}");
}

#[test]
fn search_with_nothing_found_exits_with_one() {
    let site = community();
    let run = site.run(&["search", "zebra"]);
    run.expect_code(1);
    assert!(run.stderr.contains("no results for \"zebra\""), "{run:?}");
}

#[test]
fn search_filters_by_type_and_tag_and_prints_json() {
    let site = community();
    let run = site.run(&["search", "install", "--json"]);
    run.expect_code(0);
    let all: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(all.len(), 2, "{run:?}");
    let members = site.run(&["search", "install", "--type", "member", "--json"]);
    let members: Vec<serde_json::Value> = serde_json::from_str(&members.stdout).unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["title"], "Grace Okafor");
    assert_eq!(members[0]["type"], "member");
    site.run(&["search", "install", "--tag", "deploys"]).expect_code(1);
    site.run(&["search", "install", "--tag", "oncall"]).expect_code(0);
}

#[test]
fn search_forgives_accents_inflections_and_typos_as_readers_type_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    copy_dir(&crate::support::example_community(), &root);
    let top = |query: &str, n: usize| -> (Vec<String>, String) {
        let run = run_in(&root, &["search", "--json", "--limit", &n.to_string(), query]);
        let hits: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap_or_default();
        (hits.iter().map(|h| h["title"].as_str().unwrap_or_default().to_string()).collect(), run.stderr)
    };
    // Accents and case.
    assert_eq!(top("wisniewski ", 1).0, ["Oskar Wiśniewski"]);
    assert_eq!(top("TOMAS ", 1).0, top("Tomás ", 1).0);
    // A tag written in the plural is found by the singular.
    let (titles, _) = top("postmortem template ", 5);
    assert!(titles.iter().any(|t| t == "Incident review"), "{titles:?}");
    // Typos find pages and say what they stand for.
    for (typo, meant) in [("kuberntes ", "kubernetes"), ("rollbak ", "rollback"), ("comander ", "commander")] {
        let (titles, stderr) = top(typo, 5);
        assert!(!titles.is_empty(), "{typo} finds nothing");
        assert!(stderr.contains(&format!("did you mean \"{meant}\"?")), "{typo}: {stderr}");
    }
    // An exact match outranks a typo's: both words of the index.
    let (exact, stderr) = top("rollback ", 3);
    assert!(!stderr.contains("did you mean"), "{stderr}");
    assert_eq!(exact[0], "Rollbacks first");
}

#[test]
fn search_prefix_matches_while_typing() {
    let site = community();
    let run = site.run(&["search", "--json", "installa"]);
    run.expect_code(0);
    assert!(run.stdout.contains("On-call basics"), "{run:?}");
}

#[test]
fn search_works_in_a_fresh_checkout_from_a_subfolder_and_after_edits() {
    let site = community();
    let run = run_in(&site.root().join("practices/deploys"), &["search", "rollback"]);
    run.expect_code(0);
    site.write("practices/deploys/rollback.md", "---\ntitle: Fix forward\n---\nNothing about that here.\n");
    let run = run_in(&site.root().join("practices"), &["search", "rollback"]);
    run.expect_code(1);
    site.run(&["search", "forward"]).expect_code(0);
}

#[test]
fn build_exports_the_index_and_loads_the_client() {
    let site = community();
    site.build().expect_code(0);
    let files = tree(&site.out());
    let manifest = files.keys().find(|k| k.starts_with("search/") && k.ends_with("/manifest.json")).expect("manifest");
    let home = site.read("index.html");
    assert!(home.contains(&format!("data-index=\"/{manifest}\"")), "{home}");
    assert!(home.contains("<script type=\"module\" src=\"/assets/search."), "{home}");
    assert!(!site.out().join(".guild").exists());
    assert!(files.keys().all(|k| !k.contains("search-index")), "the tantivy index is not deployed");
    let search_page = site.read("search/index.html");
    assert!(search_page.contains("<noscript>"), "the search page says what to do without JavaScript");
}

/// Every surface word in the shards maps to the stem tantivy gives it in
/// its language (`deploiement:fr` is French's; unmarked, the site's own
/// language `main`).
fn check_surface_words(out: &Path, main: &str) {
    let mut analyzers: Vec<_> = (0..search::languages::LANGS.len()).map(|l| search::analyzer_for(l, None)).collect();
    let mut words = 0;
    for entry in walkdir::WalkDir::new(out.join("search")) {
        let entry = entry.unwrap();
        if !entry.path().to_string_lossy().contains("/t/") {
            continue;
        }
        let shard: serde_json::Value = serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap();
        for w in shard["w"].as_array().unwrap() {
            let key = w[0].as_str().unwrap();
            let (word, lang) = key.split_once(':').unwrap_or((key, main));
            let stem = shard["s"][w[1].as_u64().unwrap() as usize][0].as_str().unwrap();
            let analyzer = &mut analyzers[search::languages::of_tag(lang)];
            assert_eq!(search::tokens(analyzer, word), [stem], "surface word {key}");
            words += 1;
        }
    }
    assert!(words > 100, "only {words} words");
}

struct Query {
    text: String,
    kind: Option<String>,
    tag: Option<String>,
    lang: Option<String>,
    /// The reader's language, searching all languages.
    reader: Option<String>,
}

/// 120 queries drawn from the corpus' own words: single words, pairs,
/// triples, prefixes, and filtered queries.
fn queries(meta: &search::cache::Meta, tags: &[String]) -> Vec<Query> {
    // Bare words, whatever language marks them.
    let words: Vec<&str> = meta
        .words
        .keys()
        .map(|w| w.split(':').next().unwrap_or(w))
        .filter(|w| w.chars().all(char::is_alphabetic) && w.len() > 3)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let pick = |i: usize| words[(i * 7919) % words.len()].to_string();
    let mut out = Vec::new();
    let q = |text: String| Query { text, kind: None, tag: None, lang: None, reader: None };
    for i in 0..35 {
        out.push(q(format!("{} ", pick(i))));
    }
    for i in 0..25 {
        out.push(q(format!("{} {} ", pick(i + 100), pick(i + 200))));
    }
    for i in 0..15 {
        out.push(q(format!("{} {} {} ", pick(i + 300), pick(i + 400), pick(i + 500))));
    }
    for i in 0..25 {
        let w = pick(i + 600);
        let cut: String = w.chars().take(3 + i % 3).collect();
        out.push(q(if i % 2 == 0 { cut } else { format!("{} {cut}", pick(i + 700)) }));
    }
    // Typos: a letter dropped, two swapped, one doubled; finished words
    // and last words typed to their end.
    for i in 0..18 {
        let w: Vec<char> = (0..)
            .map(|k| pick(i + 1100 + k * 13))
            .find(|w| w.chars().count() >= 4)
            .expect("words of four letters")
            .chars()
            .collect();
        let mut t = w.clone();
        let at = 1 + i % (w.len() - 2);
        match i % 3 {
            0 => {
                t.remove(at);
            }
            1 => t.swap(at, at + 1),
            _ => t.insert(at, w[at]),
        }
        let typo: String = t.into_iter().collect();
        out.push(q(if i % 2 == 0 { format!("{typo} ") } else { format!("{} {typo}", pick(i + 1200)) }));
    }
    // Forms the pages may not have of words whose stems they do (`stem_of`).
    let stems: Vec<&str> = meta
        .words
        .values()
        .map(String::as_str)
        .filter(|s| s.chars().count() >= 5 && s.chars().all(char::is_alphabetic))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for i in 0..12 {
        let stem = stems[(i * 7919) % stems.len()];
        out.push(q(if i % 2 == 0 { format!("{stem}ing ") } else { format!("{} {stem}ers", pick(i + 1300)) }));
    }
    // Typed with accents, ligatures and capitals the index folds away.
    for i in 0..12 {
        let accented: String = pick(i + 1000)
            .chars()
            .map(|c| match c {
                'a' => 'á',
                'e' => 'È',
                'o' => 'ø',
                's' if i % 2 == 0 => 'ś',
                c => c,
            })
            .collect();
        out.push(q(if i % 3 == 0 { format!("{accented} ß ") } else { format!("{accented} ") }));
    }
    for i in 0..20 {
        let text = format!("{} {}", pick(i + 800), pick(i + 900));
        if i % 2 == 0 {
            out.push(Query {
                text,
                kind: Some(["practice", "meeting", "member"][i % 3].into()),
                tag: None,
                lang: None,
                reader: None,
            });
        } else {
            out.push(Query { text, kind: None, tag: Some(tags[i % tags.len()].clone()), lang: None, reader: None });
        }
    }
    out
}

fn node_available() -> bool {
    let ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var("GUILD_REQUIRE_BROWSER").is_err(), "node is required for the search parity test");
        println!("search parity test skipped: Node.js not found");
    }
    ok
}

fn parity(root: &Path, out: &Path) {
    // The build exports from guild's own analysis; `guild search` makes
    // tantivy's index, independently, the first time it runs.
    assert!(!search::cache_dir(root).exists(), "a build writes no tantivy index");
    let run = run_in(root, &["search", "practice"]);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    let dir = search::cache_dir(root);
    let bytes = std::fs::read(dir.join("guild-search.json")).unwrap();
    let meta: search::cache::Meta = serde_json::from_slice(&bytes).unwrap();
    let (index, fields) = search::open(&dir).unwrap();
    let manifest_path = tree(out).keys().find(|k| k.ends_with("manifest.json")).cloned().unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join(manifest_path)).unwrap()).unwrap();
    let tags: Vec<String> =
        manifest["tags"].as_array().unwrap().iter().map(|t| t[0].as_str().unwrap().to_string()).collect();
    let langs: Vec<String> = manifest["langs"]
        .as_array()
        .map(|l| l.iter().map(|t| t[0].as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    let mut queries = queries(&meta, &tags);
    // In one language, as the header box searches a page in it.
    for (i, lang) in langs.iter().enumerate() {
        for text in [queries[i].text.clone(), queries[i + 40].text.clone()] {
            queries.push(Query { text, kind: None, tag: None, lang: Some(lang.clone()), reader: None });
        }
        // All languages, translations after the page in the reader's.
        for text in [queries[i + 1].text.clone(), queries[i + 41].text.clone()] {
            queries.push(Query { text, kind: None, tag: None, lang: None, reader: Some(lang.clone()) });
        }
    }
    // A text in several languages (`add_cjk_pages`), searched in all.
    for reader in ["en", "ja"] {
        queries.push(Query {
            text: "release notes".into(),
            kind: None,
            tag: None,
            lang: None,
            reader: Some(reader.into()),
        });
    }
    assert!(queries.len() >= 100);

    let json: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| serde_json::json!({"text": q.text, "type": q.kind, "tag": q.tag, "lang": q.lang, "reader": q.reader}))
        .collect();
    let file = tempfile::NamedTempFile::new().unwrap();
    let norms: Vec<u32> = (0..=255u8).map(tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm).collect();
    let input = serde_json::json!({"queries": json, "norms": norms});
    std::fs::write(file.path(), serde_json::to_vec(&input).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/parity.mjs");
    let output = Command::new("node").arg(script).arg(out).arg(file.path()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let js: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();

    let mut compared = 0;
    let mut nonempty = 0;
    let mut corrected = 0;
    for (q, js) in queries.iter().zip(&js) {
        let scope = meta.scope(q.lang.as_deref());
        let words = query::words(&q.text, &scope);
        let plan = query::plan(&words, &meta.words, &meta.layout.firsts, &scope.searched());
        let filter =
            query::Filter { kind: q.kind.clone(), tag: q.tag.clone(), lang: q.lang.clone(), reader: q.reader.clone() };
        let tantivy = query::run(&index, &fields, &plan, &filter, &meta.groups, 10).unwrap();
        let js_hits = js["hits"].as_array().unwrap();
        let context = format!(
            "query {:?} type {:?} tag {:?}\ntantivy: {:?}\njs: {js_hits:?}",
            q.text,
            q.kind,
            q.tag,
            tantivy.iter().map(|h| (h.doc, h.score)).collect::<Vec<_>>()
        );
        assert_eq!(tantivy.len(), js_hits.len(), "{context}");
        let js_corrections: Vec<(String, String)> = serde_json::from_value(js["corrections"].clone()).unwrap();
        assert_eq!(plan.corrections, js_corrections, "did you mean\n{context}");
        corrected += usize::from(!plan.corrections.is_empty());
        nonempty += usize::from(!tantivy.is_empty());
        for (i, (t, j)) in tantivy.iter().zip(js_hits).enumerate() {
            let js_score = j["score"].as_f64().unwrap() as f32;
            let tol = 1e-5 * t.score.abs().max(1.0);
            assert!((t.score - js_score).abs() <= tol, "score {i} differs: {} vs {js_score}\n{context}", t.score);
            let js_doc = j["doc"].as_u64().unwrap() as u32;
            if js_doc != t.doc {
                // Only near-ties may swap places.
                let other = tantivy.iter().find(|h| h.doc == js_doc).map(|h| h.score);
                assert!(
                    other.is_none_or(|s| (s - t.score).abs() <= tol),
                    "rank {i} differs beyond a near-tie\n{context}"
                );
            }
            compared += 1;
        }
    }
    assert!(nonempty >= 80, "only {nonempty} queries found anything");
    assert!(corrected >= 8, "only {corrected} queries were taken for typos");
    assert!(compared >= 500, "only {compared} results compared");
}

/// Builds the community `make` writes into a temporary folder, checks
/// that every exported word stems as tantivy stems it (`main`: the site's
/// language) and holds the browser client to tantivy on it; returns the
/// manifest. Without Node.js, nothing.
fn parity_on(make: impl FnOnce(&Path), main: &str) -> Option<String> {
    if !node_available() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    make(&root);
    let out = dir.path().join("site");
    run_in(&root, &["build", "-o", out.to_str().unwrap(), "--now", TODAY]).expect_code(0);
    check_surface_words(&out, main);
    parity(&root, &out);
    Some(std::fs::read_to_string(out.join("search/manifest.json")).unwrap())
}

/// The example community at `root`, with what `add` writes.
fn example_with(add: impl FnOnce(&Path)) -> impl FnOnce(&Path) {
    move |root| {
        copy_dir(&crate::support::example_community(), root);
        add(root);
    }
}

/// The titles `guild search --json` finds, run with `args` in `root`.
fn titles(root: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--json", "--limit", "3"];
    all.extend(args);
    let run = run_in(root, &all);
    let hits: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap_or_default();
    hits.iter().filter_map(|h| h["title"].as_str().map(str::to_string)).collect()
}

#[test]
fn browser_client_ranks_like_tantivy_on_the_example_community() {
    parity_on(example_with(|_| {}), "en");
}

/// Pages in Japanese, Chinese and Korean beside the example's English.
fn add_cjk_pages(root: &Path) {
    let pages = [
        (
            "pages/ja/contributing.md",
            "---\ntitle: オープンソースにコントリビュートする方法\n---\nはじめてのプルリクエストは小さな修正から始めましょう。レビューでは質問を歓迎します。OSPOの窓口に相談してください。\n",
        ),
        (
            "pages/ja/oncall.md",
            "---\ntitle: オンコールの基本\n---\n障害が起きたら、まず影響範囲を確認し、ロールバックを検討します。\n",
        ),
        (
            "pages/zh/ospo.md",
            "---\ntitle: 开源项目办公室入门\n---\n开源项目办公室负责制定开源策略、合规审查和社区运营。\n",
        ),
        ("pages/ko/review.md", "---\ntitle: 코드 리뷰 안내\n---\n리뷰어는 변경 사항을 확인하고 질문을 남깁니다.\n"),
        // A page with a translation and an untranslated copy.
        ("pages/release-notes.md", "# Release notes\n\nHow we write release notes for every rollout.\n"),
        ("pages/ja/release-notes.md", "# リリースノート\n\nリリースノート (release notes) の書き方。\n"),
        ("pages/zh/release-notes.md", "# Release notes\n\nHow we write release notes for every rollout.\n"),
    ];
    write_pages(root, &pages);
}

#[test]
fn a_japanese_or_chinese_phrase_finds_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    copy_dir(&crate::support::example_community(), &root);
    add_cjk_pages(&root);
    let first = |query: &str| titles(&root, &[query]).into_iter().next().unwrap_or_else(|| "(nothing)".into());
    // The whole title, a phrase from the body, a word inside a sentence.
    assert_eq!(first("オープンソースにコントリビュートする方法"), "オープンソースにコントリビュートする方法");
    assert_eq!(first("影響範囲"), "オンコールの基本");
    assert_eq!(first("合规审查"), "开源项目办公室入门");
    assert_eq!(first("코드 리뷰"), "코드 리뷰 안내");
    // A Latin word inside Japanese text is still a word.
    assert_eq!(first("OSPO窓口"), "オープンソースにコントリビュートする方法");
}

#[test]
fn browser_client_ranks_like_tantivy_with_japanese_chinese_and_korean_pages() {
    parity_on(example_with(add_cjk_pages), "en");
}

#[test]
fn browser_client_ranks_like_tantivy_on_a_generated_corpus() {
    let write = |root: &Path| corpus::write(&corpus::generate(&corpus::Plan { docs: 600, seed: 7 }), root).unwrap();
    parity_on(write, "en");
}

/// Pages in French and German beside the example's English, Spanish and
/// Portuguese, with the accents, inflections and stop words their
/// languages' analyses handle.
fn add_european_pages(root: &Path) {
    let pages = [
        (
            "pages/fr/deploiement.md",
            "---\ntitle: Déploiements progressifs\n---\nNous déployons les changements progressivement. Les \
             déploiements échouent rarement : l'équipe d'astreinte surveille les métriques et revient en arrière \
             si un indicateur se dégrade. Changer un seuil demande une revue.\n",
        ),
        (
            "pages/fr/revue.md",
            "---\ntitle: Revue de code\n---\nChaque changement est relu par deux personnes de l'équipe. Les \
             revues portent sur la lisibilité, les tests et la sécurité.\n",
        ),
        (
            "pages/de/bereitschaft.md",
            "---\ntitle: Bereitschaftsdienst\n---\nDie Übergabe der Bereitschaft erfolgt montags. Störungen werden \
             im Kanal gemeldet, und die Bereitschaft meldet sich innerhalb von zehn Minuten.\n",
        ),
    ];
    write_pages(root, &pages);
}

#[test]
fn each_language_stems_and_drops_stop_words_its_own_way() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    copy_dir(&crate::support::example_community(), &root);
    add_european_pages(&root);
    let found = |args: &[&str]| titles(&root, args);
    // French stems: `changer` and `changement` are one word (`chang`),
    // which English stemming kept apart (the review page has no
    // `changer`); typed without accents, `deploiement` finds `Déploiements`.
    let mut changing = found(&["--lang", "fr", "changer"]);
    changing.sort();
    assert_eq!(changing, ["Déploiements progressifs", "Revue de code"]);
    assert_eq!(found(&["--lang", "fr", "deploiement"]).first().map(String::as_str), Some("Déploiements progressifs"));
    assert_eq!(found(&["--lang", "fr", "équipe revues"]).first().map(String::as_str), Some("Revue de code"));
    // French stop words are dropped from French queries: `les` and `de`
    // are in every French page, and match none.
    assert!(found(&["--lang", "fr", "les de"]).is_empty(), "French stop words");
    // German: `Störung` finds `Störungen`; `die` and `und` are German
    // stop words (not English ones): in German they find nothing, in
    // every language not the German page, which has both.
    assert_eq!(found(&["--lang", "de", "storung"]), ["Bereitschaftsdienst"]);
    assert!(found(&["--lang", "de", "die und"]).is_empty(), "German stop words");
    assert!(!found(&["die und"]).iter().any(|t| t == "Bereitschaftsdienst"), "looked up in the others only");
    // `also` is a German stop word, and an English word: searching every
    // language finds the English pages with it.
    assert!(found(&["--lang", "de", "also"]).is_empty());
    assert!(!found(&["also"]).is_empty(), "a stop word of one language is a word of another");
    assert_eq!(found(&["--lang", "de", "Bereitschaft meldet"]), ["Bereitschaftsdienst"]);
    // Searching every language finds the French page for a French word.
    assert_eq!(found(&["deploiement"]).first().map(String::as_str), Some("Déploiements progressifs"));
    // English pages stem as English still.
    assert!(found(&["--lang", "en", "deployments"]).iter().all(|t| t != "Déploiements progressifs"));
    assert!(!found(&["--lang", "en", "deployments"]).is_empty());
}

#[test]
fn browser_client_ranks_like_tantivy_in_several_european_languages() {
    if let Some(manifest) = parity_on(example_with(add_european_pages), "en") {
        assert!(manifest.contains("\"analyses\":[[\":de\",[\"de\"],["), "{manifest}");
    }
}

#[test]
fn browser_client_ranks_like_tantivy_in_a_community_that_writes_french() {
    // Its own language's words go unmarked, English's are marked.
    let french = |root: &Path| {
        add_european_pages(root);
        let config = std::fs::read_to_string(root.join("community.yaml")).unwrap();
        std::fs::write(root.join("community.yaml"), format!("language: fr\n{config}")).unwrap();
        std::fs::create_dir_all(root.join("pages/en")).unwrap();
        std::fs::write(
            root.join("pages/en/deployment.md"),
            "---\ntitle: Progressive deployments\n---\nWe deploy changes progressively and roll back when a metric degrades.\n",
        )
        .unwrap();
    };
    if let Some(manifest) = parity_on(example_with(french), "fr") {
        assert!(manifest.contains("[\":en\",[\"en\"]"), "{manifest}");
    }
}

/// Writes each (path, text) under `root`, making folders as needed.
fn write_pages(root: &Path, pages: &[(&str, &str)]) {
    for (path, text) in pages {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')) {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
