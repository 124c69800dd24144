//! Queries: turning typed text into stems the way the browser client does,
//! and running them against tantivy (`guild search`, the parity tests).
//!
//! A query is every word of the text (NFC, lowercased, split on anything
//! that is not a letter or digit, stop words and over-long words dropped);
//! the last word, when the text ends inside it and it has two or more
//! characters, also matches as a prefix of the surface words in the shard
//! it falls in and the next one if that shard also starts with it. Each
//! word maps to its stem; the score is the sum over stems and fields of
//! tantivy's BM25 with the field's boost. Filters restrict, never score.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, TantivyDocument, Term};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

use super::{Fields, TEXT_FIELDS};

/// The words of a query, as the client sees them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Words {
    pub exact: Vec<String>,
    pub prefix: Option<String>,
}

/// Splits a query into words. The last word is a prefix when the text
/// ends inside it (search as you type).
pub fn words(query: &str) -> Words {
    let text: String = query.nfc().collect();
    let mut analyzer = super::surface_analyzer();
    let mut stream = analyzer.token_stream(&text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let t = stream.token();
        tokens.push((t.text.clone(), t.offset_to));
    }
    let mut out = Words::default();
    let ends_inside = |to: usize| to == text.len();
    if let Some((last, to)) = tokens.last().cloned()
        && ends_inside(to)
        && last.chars().count() >= 2
    {
        tokens.pop();
        out.prefix = Some(last);
    }
    out.exact = tokens.into_iter().map(|(t, _)| t).collect();
    out
}

/// The shard a word falls in: the last shard whose first word is <= it.
pub fn shard_of(firsts: &[String], word: &str) -> usize {
    firsts.partition_point(|f| f.as_str() <= word).saturating_sub(1)
}

/// The stems a query searches for, and the shards the client fetches.
pub fn plan(words: &Words, dictionary: &BTreeMap<String, String>, firsts: &[String]) -> (Vec<String>, Vec<usize>) {
    let mut stems = BTreeSet::new();
    let mut shards = BTreeSet::new();
    if firsts.is_empty() {
        return (Vec::new(), Vec::new());
    }
    for w in &words.exact {
        shards.insert(shard_of(firsts, w));
        if let Some(stem) = dictionary.get(w) {
            stems.insert(stem.clone());
        }
    }
    if let Some(p) = &words.prefix {
        let first = shard_of(firsts, p);
        let mut range = vec![first];
        if let Some(next) = firsts.get(first + 1)
            && next.starts_with(p.as_str())
        {
            range.push(first + 1);
        }
        let lo = &firsts[first];
        let hi = firsts.get(range[range.len() - 1] + 1);
        for (word, stem) in
            dictionary.range::<str, _>((std::ops::Bound::Included(lo.as_str()), std::ops::Bound::Unbounded))
        {
            if hi.is_some_and(|h| word >= h) {
                break;
            }
            if word.starts_with(p.as_str()) {
                stems.insert(stem.clone());
            }
        }
        shards.extend(range);
    }
    (stems.into_iter().collect(), shards.into_iter().collect())
}

/// Restricts results to one type and/or one tag (by slug).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<String>,
    pub tag: Option<String>,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document's id in site order (as in the export).
    pub doc: u32,
    pub score: f32,
    pub title: String,
    pub url: String,
    pub kind: String,
    /// A passage of the body and the byte ranges of matched words in it.
    pub snippet: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// The tantivy query for a set of stems: for each stem and text field, a
/// term query boosted by the field's boost, summed.
pub fn query(fields: &Fields, stems: &[String], filter: &Filter) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for stem in stems {
        for (field, (_, boost)) in fields.text.iter().zip(TEXT_FIELDS) {
            let term = TermQuery::new(Term::from_field_text(*field, stem), IndexRecordOption::WithFreqs);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), *boost))));
        }
    }
    let text: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    if let Some(kind) = &filter.kind {
        let term = TermQuery::new(Term::from_field_text(fields.kind, kind), IndexRecordOption::Basic);
        must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0))));
    }
    if let Some(tag) = &filter.tag {
        let term = TermQuery::new(Term::from_field_text(fields.tag, tag), IndexRecordOption::Basic);
        must.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0))));
    }
    if must.len() == 1 {
        must.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(BooleanQuery::new(Vec::new())))
    } else {
        Box::new(BooleanQuery::new(must))
    }
}

/// Runs a query; best first, ties to the lower document id (site order,
/// as the browser client breaks them).
pub fn run(index: &Index, fields: &Fields, stems: &[String], filter: &Filter, limit: usize) -> Result<Vec<Hit>> {
    let err = |e: tantivy::TantivyError| Error::Search { path: "search index".into(), message: e.to_string() };
    if stems.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let reader = index.reader().map_err(err)?;
    let searcher = reader.searcher();
    let q = query(fields, stems, filter);
    // A margin past the limit lets ties at the cut be broken by site order
    // rather than by tantivy's own (thread-dependent) document ids.
    let top = searcher.search(&*q, &TopDocs::with_limit(limit + 16).order_by_score()).map_err(err)?;
    let mut top: Vec<(f32, tantivy::DocAddress, u32)> = top
        .into_iter()
        .map(|(score, address)| {
            let segment = searcher.segment_reader(address.segment_ord);
            let site_id = segment.fast_fields().u64("doc").ok().and_then(|c| c.first(address.doc_id)).unwrap_or(0);
            (score, address, site_id as u32)
        })
        .collect();
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
    top.truncate(limit);
    let snippets = SnippetGenerator::create(&searcher, &*q, fields.body()).map_err(err)?;
    let mut hits = Vec::with_capacity(top.len());
    for (score, address, site_id) in top {
        let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
        let text = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let snippet = snippets.snippet(&text(fields.snippet_text));
        hits.push(Hit {
            doc: site_id,
            score,
            title: text(fields.title_stored),
            url: text(fields.url),
            kind: text(fields.kind),
            snippet: snippet.fragment().to_string(),
            highlights: snippet.highlighted().to_vec(),
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(exact: &[&str], prefix: Option<&str>) -> Words {
        Words { exact: exact.iter().map(|s| s.to_string()).collect(), prefix: prefix.map(String::from) }
    }

    #[test]
    fn last_word_is_a_prefix_only_while_typing_it() {
        assert_eq!(words("Deploy rollb"), w(&["deploy"], Some("rollb")));
        assert_eq!(words("deploy rollback "), w(&["deploy", "rollback"], None));
        assert_eq!(words("deploy the"), w(&["deploy"], None));
        assert_eq!(words("deploy x"), w(&["deploy", "x"], None));
        assert_eq!(words("Café"), w(&[], Some("cafe")), "accents fold as in the index");
        assert_eq!(words("Wiśniewski Straße "), w(&["wisniewski", "strasse"], None));
    }

    #[test]
    fn plans_use_the_shard_layout() {
        let dict: BTreeMap<String, String> = [
            ("alpha", "alpha"),
            ("deploy", "deploy"),
            ("deployed", "deploy"),
            ("deployment", "deploy"),
            ("zeta", "zeta"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let firsts = vec!["alpha".to_string(), "deployed".to_string(), "zeta".to_string()];
        assert_eq!(plan(&w(&["alpha"], None), &dict, &firsts), (vec!["alpha".to_string()], vec![0]));
        // "depl" falls in shard 0; shard 1 starts with it too.
        assert_eq!(plan(&w(&[], Some("depl")), &dict, &firsts), (vec!["deploy".to_string()], vec![0, 1]));
        assert_eq!(plan(&w(&["unknown"], None), &dict, &firsts), (vec![], vec![1]));
    }
}
