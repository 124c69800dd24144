//! The languages the built-in lexer knows, as tables: what starts a
//! comment, which quotes make strings, and which words are keywords,
//! types, constants and built-ins. Word lists are sorted (lowercase for
//! case-insensitive languages) so a lookup is a binary search; a test
//! holds them to that.

/// How a language's lines are shaped, beyond its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Tokens anywhere on a line (C, Go, Python, SQL, …).
    Free,
    /// Shells: `$variables`, words may hold `-`, `.` and `/`.
    Shell,
    /// A quoted string followed by `:` is a key.
    Json,
    /// `[section]` headers and `key = value` lines (TOML, INI).
    Ini,
    /// `key = value` lines inside blocks (HCL, Terraform).
    Hcl,
    /// The first word of a line is an instruction; the rest is shell.
    Dockerfile,
    /// Rust: lifetimes, raw strings, `macros!` and `#[attributes]`.
    Rust,
    /// Whole lines are added, removed or hunk headers.
    Diff,
    /// Keys, scalars and block scalars, line by line.
    Yaml,
}

#[derive(Debug)]
pub struct Language {
    /// The names a fence may use, lowercase; the first is the language's own.
    pub names: &'static [&'static str],
    pub flavour: Flavour,
    pub line_comments: &'static [&'static str],
    /// A line comment starts only at the start of a word (`#` in shells),
    /// so `a#b` and `${#x}` are not comments.
    pub comment_at_word_start: bool,
    pub block_comment: Option<(&'static str, &'static str)>,
    pub quotes: &'static [u8],
    /// Quotes whose strings know no backslash escapes (shell `'…'`, Go `` `…` ``).
    pub raw_quotes: &'static [u8],
    /// Quotes whose strings may run over several lines.
    pub multiline_quotes: &'static [u8],
    /// A doubled quote inside a string stands for one quote (SQL).
    pub doubled_quotes: bool,
    /// `"""…"""` and `'''…'''` (Python).
    pub triple_quotes: bool,
    /// Letters that may stand right before a quote (`r"…"`, `f'…'`), lowercase.
    pub string_prefixes: &'static [&'static str],
    pub keywords: &'static [&'static str],
    pub types: &'static [&'static str],
    pub constants: &'static [&'static str],
    pub builtins: &'static [&'static str],
    /// Keywords whose next word is the name of a function being defined.
    pub function_definers: &'static [&'static str],
    /// Keywords whose next word is the name of a type being defined.
    pub type_definers: &'static [&'static str],
    pub case_insensitive: bool,
    /// `@name` is a decorator or annotation.
    pub decorators: bool,
    /// A capitalised word is a type (Rust, Java, TypeScript, …).
    pub capitalised_types: bool,
    /// Bytes, beyond letters, digits and `_`, that words may hold.
    pub word_bytes: &'static [u8],
    /// Code inside strings: (quote, prefix the string needs, opener). The
    /// code runs to the opener's matching bracket and may hold strings of
    /// its own (`"$(date "+%F")"`, `f"{d['k']}"`, `"#{h["k"]}"`), so the
    /// string does not end at their quotes. A prefix of "" needs none; `{`
    /// doubled is a literal brace.
    pub interpolations: &'static [(u8, &'static str, &'static str)],
    /// `/regex/flags` where an operand may stand (JavaScript, Ruby).
    pub regex_literals: bool,
    /// `<<EOF` … `EOF` (shells, Ruby, Dockerfile `RUN`).
    pub heredocs: bool,
}

pub(super) const BASE: Language = Language {
    names: &[],
    flavour: Flavour::Free,
    line_comments: &[],
    comment_at_word_start: false,
    block_comment: None,
    quotes: b"\"'",
    raw_quotes: b"",
    multiline_quotes: b"",
    doubled_quotes: false,
    triple_quotes: false,
    string_prefixes: &[],
    keywords: &[],
    types: &[],
    constants: &[],
    builtins: &[],
    function_definers: &[],
    type_definers: &[],
    case_insensitive: false,
    decorators: false,
    capitalised_types: false,
    word_bytes: b"",
    interpolations: &[],
    regex_literals: false,
    heredocs: false,
};

const C_COMMENTS: Language =
    Language { line_comments: &["//"], block_comment: Some(("/*", "*/")), capitalised_types: true, ..BASE };

pub static SHELL: Language = Language {
    names: &["bash", "sh", "shell", "zsh", "console", "shell-session", "ksh", "fish"],
    flavour: Flavour::Shell,
    line_comments: &["#"],
    comment_at_word_start: true,
    raw_quotes: b"'",
    quotes: b"\"'`",
    multiline_quotes: b"\"'`",
    keywords: &[
        "case", "declare", "do", "done", "elif", "else", "esac", "export", "fi", "for", "function", "if", "in",
        "local", "readonly", "return", "select", "then", "time", "until", "while",
    ],
    builtins: &[
        "alias", "cd", "echo", "eval", "exec", "exit", "printf", "read", "set", "shift", "source", "test", "trap",
        "unset",
    ],
    constants: &["false", "true"],
    function_definers: &["function"],
    word_bytes: b"-./",
    interpolations: &[(b'"', "", "$("), (b'"', "", "${"), (b'`', "", "$("), (b'`', "", "${")],
    heredocs: true,
    ..BASE
};

pub static YAML: Language = Language {
    names: &["yaml", "yml"],
    flavour: Flavour::Yaml,
    line_comments: &["#"],
    comment_at_word_start: true,
    constants: &["false", "no", "null", "off", "on", "true", "yes", "~"],
    case_insensitive: true,
    ..BASE
};

pub static JSON: Language = Language {
    names: &["json", "jsonc", "json5", "geojson", "jsonl"],
    flavour: Flavour::Json,
    line_comments: &["//"],
    block_comment: Some(("/*", "*/")),
    constants: &["false", "null", "true"],
    ..BASE
};

pub static PYTHON: Language = Language {
    names: &["python", "py", "python3", "py3", "pyi"],
    line_comments: &["#"],
    triple_quotes: true,
    string_prefixes: &["b", "br", "f", "fr", "r", "rb", "rf", "u"],
    keywords: &[
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
        "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "match", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield",
    ],
    types: &["bool", "bytes", "dict", "float", "int", "list", "object", "set", "str", "tuple"],
    constants: &["False", "None", "True"],
    builtins: &[
        "abs", "all", "any", "enumerate", "filter", "getattr", "hasattr", "isinstance", "len", "map", "max", "min",
        "open", "print", "range", "repr", "reversed", "self", "setattr", "sorted", "sum", "super", "type", "zip",
    ],
    function_definers: &["def"],
    type_definers: &["class"],
    decorators: true,
    interpolations: &[(b'"', "f", "{"), (b'\'', "f", "{")],
    ..BASE
};

pub static GO: Language = Language {
    names: &["go", "golang"],
    quotes: b"\"'`",
    raw_quotes: b"`",
    multiline_quotes: b"`",
    keywords: &[
        "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func", "go",
        "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct", "switch", "type",
        "var",
    ],
    types: &[
        "any", "bool", "byte", "complex128", "complex64", "error", "float32", "float64", "int", "int16", "int32",
        "int64", "int8", "rune", "string", "uint", "uint16", "uint32", "uint64", "uint8", "uintptr",
    ],
    constants: &["false", "iota", "nil", "true"],
    builtins: &[
        "append", "cap", "close", "copy", "delete", "len", "make", "new", "panic", "print", "println", "recover",
    ],
    function_definers: &["func"],
    type_definers: &["type"],
    capitalised_types: false,
    ..C_COMMENTS
};

pub static RUST: Language = Language {
    names: &["rust", "rs"],
    flavour: Flavour::Rust,
    quotes: b"\"",
    multiline_quotes: b"\"",
    keywords: &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "fn", "for",
        "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
        "super", "trait", "type", "union", "unsafe", "use", "where", "while", "yield",
    ],
    types: &[
        "Self", "bool", "char", "f32", "f64", "i128", "i16", "i32", "i64", "i8", "isize", "str", "u128", "u16", "u32",
        "u64", "u8", "usize",
    ],
    constants: &["Err", "None", "Ok", "Some", "false", "self", "true"],
    function_definers: &["fn"],
    type_definers: &["enum", "struct", "trait", "type", "union"],
    ..C_COMMENTS
};

const JS_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
    "do", "else", "export", "extends", "finally", "for", "from", "function", "if", "import", "in", "instanceof", "let",
    "new", "of", "return", "static", "super", "switch", "this", "throw", "try", "typeof", "var", "void", "while",
    "with", "yield",
];

pub static JAVASCRIPT: Language = Language {
    names: &["javascript", "js", "mjs", "cjs", "jsx", "node"],
    quotes: b"\"'`",
    multiline_quotes: b"`",
    keywords: JS_KEYWORDS,
    constants: &["NaN", "false", "null", "true", "undefined"],
    builtins: &["Array", "JSON", "Math", "Object", "Promise", "console", "document", "require", "window"],
    function_definers: &["function"],
    type_definers: &["class"],
    decorators: true,
    capitalised_types: false,
    word_bytes: b"$",
    interpolations: &[(b'`', "", "${")],
    regex_literals: true,
    ..C_COMMENTS
};

pub static TYPESCRIPT: Language = Language {
    names: &["typescript", "ts", "tsx", "mts", "cts"],
    keywords: &[
        "abstract", "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "declare",
        "default", "delete", "do", "else", "enum", "export", "extends", "finally", "for", "from", "function", "if",
        "implements", "import", "in", "instanceof", "interface", "keyof", "let", "namespace", "new", "of", "private",
        "protected", "public", "readonly", "return", "static", "super", "switch", "this", "throw", "try", "type",
        "typeof", "var", "void", "while", "yield",
    ],
    types: &["any", "bigint", "boolean", "never", "number", "object", "string", "symbol", "unknown"],
    type_definers: &["class", "enum", "interface", "type"],
    capitalised_types: true,
    ..JAVASCRIPT
};

pub static JAVA: Language = Language {
    names: &["java"],
    keywords: &[
        "abstract", "assert", "break", "case", "catch", "class", "continue", "default", "do", "else", "enum",
        "extends", "final", "finally", "for", "if", "implements", "import", "instanceof", "interface", "new",
        "package", "private", "protected", "public", "record", "return", "static", "super", "switch", "synchronized",
        "this", "throw", "throws", "try", "var", "void", "volatile", "while",
    ],
    types: &["boolean", "byte", "char", "double", "float", "int", "long", "short"],
    constants: &["false", "null", "true"],
    type_definers: &["class", "enum", "interface", "record"],
    decorators: true,
    triple_quotes: true,
    ..C_COMMENTS
};

pub static KOTLIN: Language = Language {
    names: &["kotlin", "kt", "kts"],
    quotes: b"\"'",
    keywords: &[
        "as", "break", "class", "companion", "continue", "data", "do", "else", "enum", "for", "fun", "if", "import",
        "in", "interface", "internal", "is", "object", "open", "override", "package", "private", "protected", "public",
        "return", "sealed", "suspend", "this", "throw", "try", "val", "var", "when", "while",
    ],
    constants: &["false", "null", "true"],
    function_definers: &["fun"],
    type_definers: &["class", "interface", "object"],
    decorators: true,
    triple_quotes: true,
    interpolations: &[(b'"', "", "${")],
    ..C_COMMENTS
};

pub static CSHARP: Language = Language {
    names: &["csharp", "cs", "c#"],
    keywords: &[
        "abstract", "as", "async", "await", "base", "break", "case", "catch", "class", "const", "continue", "default",
        "do", "else", "enum", "for", "foreach", "get", "if", "in", "interface", "internal", "is", "namespace", "new",
        "out", "override", "private", "protected", "public", "readonly", "record", "ref", "return", "sealed", "set",
        "static", "struct", "switch", "this", "throw", "try", "using", "var", "virtual", "void", "while",
    ],
    types: &[
        "bool", "byte", "char", "decimal", "double", "float", "int", "long", "object", "short", "string", "uint",
        "ulong",
    ],
    constants: &["false", "null", "true"],
    type_definers: &["class", "enum", "interface", "record", "struct"],
    triple_quotes: true,
    interpolations: &[(b'"', "$", "{")],
    ..C_COMMENTS
};

const C_KEYWORDS: &[&str] = &[
    "break", "case", "const", "continue", "default", "do", "else", "enum", "extern", "for", "goto", "if", "inline",
    "register", "return", "sizeof", "static", "struct", "switch", "typedef", "union", "volatile", "while",
];

pub static C: Language = Language {
    names: &["c", "h"],
    keywords: C_KEYWORDS,
    types: &[
        "bool", "char", "double", "float", "int", "int32_t", "int64_t", "long", "short", "signed", "size_t",
        "uint32_t", "uint64_t", "uint8_t", "unsigned", "void",
    ],
    constants: &["NULL", "false", "true"],
    type_definers: &["enum", "struct", "union"],
    capitalised_types: false,
    ..C_COMMENTS
};

pub static CPP: Language = Language {
    names: &["cpp", "c++", "cc", "cxx", "hpp", "hh"],
    keywords: &[
        "auto", "break", "case", "catch", "class", "const", "constexpr", "continue", "default", "delete", "do", "else",
        "enum", "explicit", "extern", "for", "friend", "if", "inline", "namespace", "new", "noexcept", "operator",
        "override", "private", "protected", "public", "return", "sizeof", "static", "struct", "switch", "template",
        "this", "throw", "try", "typedef", "typename", "union", "using", "virtual", "while",
    ],
    constants: &["false", "nullptr", "true"],
    type_definers: &["class", "enum", "struct", "union"],
    ..C
};

pub static RUBY: Language = Language {
    names: &["ruby", "rb", "gemfile", "rake"],
    line_comments: &["#"],
    quotes: b"\"'`",
    multiline_quotes: b"\"'`",
    keywords: &[
        "alias", "and", "begin", "break", "case", "class", "def", "do", "else", "elsif", "end", "ensure", "for", "if",
        "in", "module", "next", "not", "or", "raise", "redo", "require", "rescue", "retry", "return", "then", "unless",
        "until", "when", "while", "yield",
    ],
    constants: &["false", "nil", "self", "true"],
    builtins: &["attr_accessor", "attr_reader", "attr_writer", "extend", "include", "p", "puts", "require_relative"],
    function_definers: &["def"],
    type_definers: &["class", "module"],
    capitalised_types: true,
    decorators: true,
    interpolations: &[(b'"', "", "#{"), (b'`', "", "#{")],
    regex_literals: true,
    heredocs: true,
    ..BASE
};

pub static SQL: Language = Language {
    names: &["sql", "postgresql", "postgres", "psql", "plpgsql", "mysql", "sqlite", "plsql", "tsql"],
    line_comments: &["--"],
    block_comment: Some(("/*", "*/")),
    quotes: b"'\"",
    raw_quotes: b"'\"",
    multiline_quotes: b"'\"",
    doubled_quotes: true,
    keywords: &[
        "add", "all", "alter", "and", "as", "asc", "begin", "between", "by", "cascade", "case", "check", "column",
        "commit", "constraint", "create", "cross", "default", "delete", "desc", "distinct", "drop", "else", "end",
        "exists", "explain", "fetch", "foreign", "from", "full", "grant", "group", "having", "if", "in", "index",
        "inner", "insert", "into", "is", "join", "key", "left", "like", "limit", "not", "offset", "on", "or", "order",
        "outer", "over", "partition", "primary", "references", "returning", "revoke", "right", "rollback", "select",
        "set", "table", "then", "transaction", "union", "unique", "update", "using", "values", "view", "when", "where",
        "with",
    ],
    types: &[
        "bigint", "bigserial", "bool", "boolean", "char", "date", "decimal", "double", "float", "int", "integer",
        "interval", "json", "jsonb", "numeric", "precision", "real", "serial", "smallint", "text", "time", "timestamp",
        "timestamptz", "uuid", "varchar",
    ],
    constants: &["false", "null", "true"],
    case_insensitive: true,
    ..BASE
};

pub static TOML: Language = Language {
    names: &["toml", "ini", "cfg", "conf", "editorconfig", "gitconfig", "properties", "desktop"],
    flavour: Flavour::Ini,
    line_comments: &["#", ";"],
    triple_quotes: true,
    raw_quotes: b"'",
    multiline_quotes: b"",
    constants: &["false", "inf", "nan", "true"],
    word_bytes: b"-",
    ..BASE
};

pub static HCL: Language = Language {
    names: &["hcl", "terraform", "tf", "tfvars", "nomad"],
    flavour: Flavour::Hcl,
    line_comments: &["#", "//"],
    block_comment: Some(("/*", "*/")),
    quotes: b"\"",
    keywords: &[
        "data", "dynamic", "for", "for_each", "if", "in", "locals", "module", "output", "provider", "resource",
        "terraform", "variable",
    ],
    types: &["any", "bool", "list", "map", "number", "object", "set", "string", "tuple"],
    constants: &["false", "null", "true"],
    word_bytes: b"-",
    ..BASE
};

pub static DOCKERFILE: Language = Language {
    names: &["dockerfile", "docker", "containerfile"],
    flavour: Flavour::Dockerfile,
    line_comments: &["#"],
    comment_at_word_start: true,
    raw_quotes: b"'",
    keywords: &[
        "add", "arg", "as", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label", "maintainer",
        "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
    ],
    case_insensitive: true,
    word_bytes: b"-./:",
    interpolations: &[(b'"', "", "$("), (b'"', "", "${")],
    heredocs: true,
    ..BASE
};

pub static DIFF: Language = Language { names: &["diff", "patch", "udiff"], flavour: Flavour::Diff, ..BASE };

pub static ALL: &[&Language] = &[
    &SHELL, &YAML, &JSON, &PYTHON, &GO, &RUST, &JAVASCRIPT, &TYPESCRIPT, &JAVA, &KOTLIN, &CSHARP, &C, &CPP, &RUBY,
    &SQL, &TOML, &HCL, &DOCKERFILE, &DIFF,
];

/// The language a fence names, if the built-in lexer knows it.
pub fn find(name: &str) -> Option<&'static Language> {
    let lower;
    let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = name.to_ascii_lowercase();
        lower.as_str()
    } else {
        name
    };
    ALL.iter().copied().find(|l| l.names.contains(&name))
}

/// Whether `word` is in `list` (sorted), comparing without case when the
/// language says so (the list is then lowercase).
pub fn contains(list: &[&str], word: &str, case_insensitive: bool) -> bool {
    if list.is_empty() || word.len() > 24 {
        return false;
    }
    if case_insensitive && word.bytes().any(|b| b.is_ascii_uppercase()) {
        let mut buf = [0u8; 24];
        let buf = &mut buf[..word.len()];
        buf.copy_from_slice(word.as_bytes());
        buf.make_ascii_lowercase();
        // Lowercasing ASCII bytes keeps UTF-8 valid.
        let lower = std::str::from_utf8(buf).unwrap_or(word);
        return list.binary_search(&lower).is_ok();
    }
    list.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_and_cased_for_lookup() {
        for lang in ALL {
            for list in [lang.keywords, lang.types, lang.constants, lang.builtins] {
                assert!(list.windows(2).all(|w| w[0] < w[1]), "{}: {list:?} is not sorted", lang.names[0]);
                if lang.case_insensitive {
                    assert!(list.iter().all(|w| !w.bytes().any(|b| b.is_ascii_uppercase())), "{}", lang.names[0]);
                }
                assert!(list.iter().all(|w| w.len() <= 24), "{}", lang.names[0]);
            }
            for d in lang.function_definers.iter().chain(lang.type_definers) {
                assert!(contains(lang.keywords, d, lang.case_insensitive), "{}: definer {d}", lang.names[0]);
            }
        }
    }

    #[test]
    fn names_are_lowercase_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for lang in ALL {
            for name in lang.names {
                assert_eq!(*name, name.to_ascii_lowercase());
                assert!(seen.insert(*name), "{name} names two languages");
            }
        }
    }

    #[test]
    fn lookup() {
        assert_eq!(find("Dockerfile").map(|l| l.names[0]), Some("dockerfile"));
        assert_eq!(find("yml").map(|l| l.names[0]), Some("yaml"));
        assert!(find("haskell").is_none());
        assert!(contains(SQL.keywords, "SELECT", true));
        assert!(!contains(SQL.keywords, "SELECTED", true));
        assert!(contains(PYTHON.constants, "None", false));
        assert!(!contains(PYTHON.constants, "none", false));
    }
}
