#!/usr/bin/env bash
# Builds "textkit", the small Python project `r2e demo` ingests by default, commit by commit.
#
# Usage: samples/make-sample-project.sh [--bundle] OUT_DIR
#
# OUT_DIR must not exist yet (or be empty). The history is fully deterministic: fixed identities, fixed dates,
# no user or system git configuration, so two runs give identical commit shas. The expected SWE-GEN outcome of
# every commit is written to OUT_DIR/.git/expected-funnel.tsv. With --bundle the script also writes
# samples/sample-project.bundle (git bundle --all) and samples/expected-funnel.tsv next to itself.
#
# Why a script: git cannot nest a repository inside ours, so the sample ships as this script plus its bundle.
set -euo pipefail

usage() { echo "usage: $0 [--bundle] OUT_DIR" >&2; exit 2; }

BUNDLE=0
OUT=
for arg in "$@"; do
  case $arg in
    --bundle) BUNDLE=1 ;;
    -*) usage ;;
    *) [ -z "$OUT" ] || usage; OUT=$arg ;;
  esac
done
[ -n "$OUT" ] || usage
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
  echo "OUT_DIR must be absent or empty: $OUT" >&2
  exit 1
fi
SAMPLES=$(cd "$(dirname "$0")" && pwd)

# Nothing from the caller's environment may leak into the objects we create.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=/nonexistent
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
export LC_ALL=C TZ=UTC
umask 022
shopt -u patsub_replacement 2>/dev/null || true

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
git -c init.defaultBranch=main init -q "$OUT"
cd "$OUT"
git config commit.gpgsign false
git config tag.gpgsign false
git config core.autocrlf false
FUNNEL=$OUT/.git/expected-funnel.tsv
printf 'sha\tsubject\texpected\tnote\n' > "$FUNNEL"

BASE_EPOCH=1709283600 # 2024-03-01T09:00:00Z
N=0
identity() {
  case $1 in
    alice) NAME="Alice Martin" EMAIL="alice@textkit.example" ZONE="+0100" ;;
    bob) NAME="Bob Chen" EMAIL="bob@textkit.example" ZONE="-0500" ;;
    *) echo "unknown author $1" >&2; exit 1 ;;
  esac
  N=$((N + 1))
  WHEN="$((BASE_EPOCH + N * 86400 + (N * 3779) % 28800)) $ZONE"
}

# with_identity CMD...: run a git command as the current identity at the current date.
with_identity() {
  GIT_AUTHOR_NAME=$NAME GIT_AUTHOR_EMAIL=$EMAIL GIT_AUTHOR_DATE=$WHEN \
    GIT_COMMITTER_NAME=$NAME GIT_COMMITTER_EMAIL=$EMAIL GIT_COMMITTER_DATE=$WHEN "$@"
}

# commit AUTHOR EXPECTED NOTE SUBJECT [extra git-commit args]: stage everything, commit, record the expectation.
commit() {
  local author=$1 expected=$2 note=$3 subject=$4
  shift 4
  identity "$author"
  git add -A
  with_identity git commit -q -m "$subject" "$@"
  printf '%s\t%s\t%s\t%s\n' "$(git rev-parse HEAD)" "$subject" "$expected" "$note" >> "$FUNNEL"
}

# replace FILE OLD NEW: replace the first occurrence of the literal text OLD; fail loudly if it is absent.
replace() {
  local file=$1 old=$2 new=$3 content
  content=$(cat "$file")
  case $content in
    *"$old"*) ;;
    *) echo "replace: $file does not contain: $old" >&2; exit 1 ;;
  esac
  printf '%s\n' "${content/"$old"/"$new"}" > "$file"
}

# edit FILE <<'EOF' ... old text ... / ===== / ... new text ... EOF
edit() {
  local spec old new
  spec=$(cat)
  old=${spec%%$'\n'=====*}
  new=${spec#*$'\n'=====}
  new=${new#$'\n'}
  replace "$1" "$old" "$new"
}

# ---------------------------------------------------------------------------------------------------------------
# 1. Initial import. Several bugs are planted here on purpose; later commits fix them.
mkdir -p textkit tests
cat > README.md <<'EOF'
# textkit

Small, dependency-free text utilities for Python 3.8+.

- `slugify(text, separator="-", max_length=None)`: URL-friendly slugs
- `wrap(text, width=70)` and `truncate(text, width, placeholder="...")`
- `Tokenizer`, `sentences(text)` and `word_count(text)`
- `snake_case(name)` and `camel_case(name, upper_first=False)`
- `IniParser` and `parse_ini(text)`: a tiny INI reader

Run the tests with `python3 -m pytest -q`.
EOF
cat > pyproject.toml <<'EOF'
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "textkit"
version = "0.1.0"
description = "Small, dependency-free text utilities"
readme = "README.md"
requires-python = ">=3.8"
license = { text = "MIT" }

[tool.setuptools]
packages = ["textkit"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
EOF
cat > .gitignore <<'EOF'
__pycache__/
*.egg-info/
.pytest_cache/
build/
dist/
EOF
cat > textkit/__init__.py <<'EOF'
"""textkit: small, dependency-free text utilities."""

from textkit.case import camel_case, snake_case
from textkit.ini import IniParser, parse_ini
from textkit.slugify import slugify
from textkit.tokenizer import Tokenizer, sentences, word_count
from textkit.wrap import truncate, wrap

__version__ = "0.1.0"
EOF
cat > textkit/slugify.py <<'EOF'
"""Turn arbitrary text into URL-friendly slugs."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _strip_accents(text):
    """Return ``text`` with combining accents removed."""
    decomposed = unicodedata.normalize("NFC", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(text, separator="_", max_length=None):
    """Return a lower-case slug of ``text`` with words joined by ``separator``.

    Every run of characters other than ASCII letters and digits becomes one
    separator, and the slug never starts or ends with a separator. With
    ``max_length`` the slug is cut at a word boundary.
    """
    slug = _NON_ALNUM.sub(separator, _strip_accents(text).lower()).strip(separator)
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length].rsplit(separator, 1)[0]
    return slug
EOF
cat > textkit/wrap.py <<'EOF'
"""Greedy word wrapping and truncation."""


def wrap(text, width=70):
    """Wrap text."""
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    lines = []
    current = ""
    for word in text.split():
        if not current:
            current = word
        elif len(current) + 1 + len(word) >= width:
            lines.append(current)
            current = word
        else:
            current += " " + word
    if current:
        lines.append(current)
    return lines


def truncate(text, width, placeholder="..."):
    """Truncate text."""
    if len(text) <= width:
        return text
    return text[:width] + placeholder
EOF
cat > textkit/tokenizer.py <<'EOF'
"""Split text into word tokens and sentences."""

import re


class Tokenizer:
    """Split text into word tokens.

    ``lowercase`` folds every token to lower case; ``keep_numbers=False``
    drops tokens made only of digits.
    """

    def __init__(self, lowercase=False, keep_numbers=True):
        self.lowercase = lowercase
        self.keep_numbers = keep_numbers

    def tokenize(self, text):
        """Return the word tokens of ``text`` in order."""
        tokens = re.findall(r"[A-Za-z0-9_]+", text)
        if self.lowercase:
            tokens = [token.lower() for token in tokens]
        if not self.keep_numbers:
            tokens = [token for token in tokens if not token.isdigit()]
        return tokens


def sentences(text):
    """Split ``text`` into sentences ending with '.', '!' or '?'."""
    result = []
    start = 0
    for index, char in enumerate(text):
        if char in ".!?":
            sentence = text[start:index + 1].strip()
            if sentence:
                result.append(sentence)
            start = index + 1
    return result


def word_count(text):
    """Return the number of words in ``text``; numbers are not words."""
    return len(Tokenizer(keep_numbers=False).tokenize(text))
EOF
cat > textkit/case.py <<'EOF'
"""Convert identifiers between snake_case and camelCase."""

import re


def snake_case(name):
    """Return ``name``, written in camelCase or PascalCase, in snake_case."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def camel_case(name, upper_first=False):
    """Return ``name``, written in snake_case, in camelCase (PascalCase if ``upper_first``)."""
    parts = name.split("_")
    first = parts[0].capitalize() if upper_first else parts[0].lower()
    return first + "".join(part.capitalize() for part in parts[1:])
EOF
cat > textkit/ini.py <<'EOF'
"""A tiny INI reader: [sections], key = value pairs and comment lines."""


class IniParser:
    """Parse INI text into a dict of sections, each a dict of keys to values.

    Keys are case-insensitive (stored lower-cased); values are stripped strings.
    """

    def __init__(self):
        self.sections = {}

    def read_string(self, text):
        """Parse ``text``, merge its sections into this parser and return the parser."""
        section = None
        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = self.sections.setdefault(line[1:-1].strip(), {})
                continue
            if section is None or "=" not in line:
                raise ValueError(f"line {lineno}: expected 'key = value' inside a section, got {raw!r}")
            key, value = line.split("=")
            section[key.strip().lower()] = value.strip()
        return self

    def get(self, section, key, fallback=None):
        """Return the value of ``key`` in ``section``, or ``fallback`` if either is missing."""
        return self.sections.get(section, {}).get(key.lower(), fallback)


def parse_ini(text):
    """Return a new IniParser holding the parsed ``text``."""
    return IniParser().read_string(text)
EOF
cat > tests/test_slugify.py <<'EOF'
from textkit.slugify import slugify


def test_lowercases_and_joins_words():
    assert slugify("Hello World", separator="-") == "hello-world"


def test_collapses_punctuation_runs():
    assert slugify("a -- b !! c", separator="-") == "a-b-c"


def test_strips_leading_and_trailing_separators():
    assert slugify("  (draft) ", separator="-") == "draft"


def test_max_length_cuts_at_word_boundary():
    assert slugify("one two three", separator="-", max_length=9) == "one-two"
EOF
cat > tests/test_wrap.py <<'EOF'
import pytest

from textkit.wrap import truncate, wrap


def test_wrap_splits_long_text():
    assert wrap("the quick brown fox", width=10) == ["the quick", "brown fox"]


def test_wrap_keeps_long_words_whole():
    assert wrap("a supercalifragilistic word", width=5) == ["a", "supercalifragilistic", "word"]


def test_wrap_rejects_zero_width():
    with pytest.raises(ValueError, match="got 0"):
        wrap("text", width=0)


def test_truncate_leaves_short_text_alone():
    assert truncate("short", 10) == "short"
EOF
cat > tests/test_tokenizer.py <<'EOF'
from textkit.tokenizer import Tokenizer, sentences, word_count


class TestTokenizer:
    def test_splits_on_spaces_and_punctuation(self):
        assert Tokenizer().tokenize("Hello, world! It works.") == ["Hello", "world", "It", "works"]

    def test_lowercase_folds_tokens(self):
        assert Tokenizer(lowercase=True).tokenize("Big Data") == ["big", "data"]

    def test_keep_numbers_false_drops_numbers(self):
        assert Tokenizer(keep_numbers=False).tokenize("route 66 west") == ["route", "west"]


def test_sentences_split_on_terminal_punctuation():
    assert sentences("One. Two! Three?") == ["One.", "Two!", "Three?"]


def test_word_count_counts_words():
    assert word_count("the cat sat") == 3
EOF
cat > tests/test_case.py <<'EOF'
from textkit.case import camel_case, snake_case


def test_snake_case_splits_camel_case():
    assert snake_case("myVarName") == "my_var_name"


def test_snake_case_handles_pascal_case():
    assert snake_case("ParseResult") == "parse_result"


def test_camel_case_joins_words():
    assert camel_case("my_var_name") == "myVarName"


def test_camel_case_upper_first_gives_pascal_case():
    assert camel_case("parse_result", upper_first=True) == "ParseResult"
EOF
cat > tests/test_ini.py <<'EOF'
import pytest

from textkit.ini import IniParser, parse_ini


class TestIniParser:
    def test_reads_sections_and_keys(self):
        parser = IniParser().read_string("[server]\nhost = example.org\nport = 8080\n")
        assert parser.get("server", "host") == "example.org"
        assert parser.get("server", "port") == "8080"

    def test_keys_are_case_insensitive(self):
        parser = IniParser().read_string("[server]\nHost = a\n")
        assert parser.get("server", "HOST") == "a"

    def test_missing_key_returns_fallback(self):
        parser = IniParser().read_string("[server]\n")
        assert parser.get("server", "nope", fallback="x") == "x"

    def test_hash_lines_are_comments(self):
        parser = IniParser().read_string("# top\n[s]\n# inside\nk = v\n")
        assert parser.sections == {"s": {"k": "v"}}


def test_parse_ini_rejects_key_outside_section():
    with pytest.raises(ValueError, match="line 1"):
        parse_ini("orphan = 1\n")
EOF
commit alice root_commit "" "Initial import of textkit"
git tag v0.1.0

# 2. Off-by-one: a line that exactly fills the width was wrapped too early.
replace textkit/wrap.py "len(current) + 1 + len(word) >= width" "len(current) + 1 + len(word) > width"
cat >> tests/test_wrap.py <<'EOF'


def test_wrap_line_may_fill_the_whole_width():
    assert wrap("aaaa bbbbb cc", width=10) == ["aaaa bbbbb", "cc"]
EOF
commit bob candidate "" "wrap: allow a line to fill the whole width" \
  -m "A line of exactly \`width\` characters was moved to the next line because the length check used >=."

# 3. Wrong default: the README documents '-' as the default separator.
replace textkit/slugify.py 'def slugify(text, separator="_", max_length=None):' \
  'def slugify(text, separator="-", max_length=None):'
cat >> tests/test_slugify.py <<'EOF'


def test_default_separator_is_hyphen():
    assert slugify("Hello World") == "hello-world"
EOF
commit alice candidate "" "slugify: default separator is '-' as documented"

# 4. Docs only.
cat >> README.md <<'EOF'

## Usage

```python
>>> from textkit import slugify, wrap
>>> slugify("Hello, World!")
'hello-world'
>>> wrap("the quick brown fox", width=10)
['the quick', 'brown fox']
```
EOF
commit bob no_python_files "" "README: add usage examples"

# 5. A real fix, but nobody added a test.
replace textkit/ini.py 'if not line or line.startswith("#"):' 'if not line or line.startswith(("#", ";")):'
replace textkit/ini.py '"""A tiny INI reader: [sections], key = value pairs and comment lines."""' \
  '"""A tiny INI reader: [sections], key = value pairs and comment lines ("#" or ";")."""'
commit alice no_test_entity_edit "" "ini: treat lines starting with ';' as comments"

# 6. Acronyms were split letter by letter: HTTPServer -> h_t_t_p_server.
edit textkit/case.py <<'EOF'
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()
=====
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()
EOF
cat >> tests/test_case.py <<'EOF'


def test_snake_case_keeps_acronyms_together():
    assert snake_case("HTTPServer") == "http_server"
    assert snake_case("parseHTTPResponse") == "parse_http_response"
EOF
commit bob candidate "" "case: keep acronyms together in snake_case"

# 7. Unicode bug in a private helper; the test only calls slugify(), so SWE-GEN cannot match it to the fix.
replace textkit/slugify.py 'unicodedata.normalize("NFC", text)' 'unicodedata.normalize("NFKD", text)'
cat >> tests/test_slugify.py <<'EOF'


def test_accented_letters_become_ascii():
    assert slugify("Crème brûlée") == "creme-brulee"
EOF
commit alice no_test_match "fixed _strip_accents; the test calls only slugify(" \
  "slugify: decompose accents before stripping them" \
  -m "NFC keeps precomposed letters such as 'è', so they were dropped instead of reduced to 'e'."

# 8. Docstrings only.
replace textkit/wrap.py '    """Wrap text."""' '    """Split ``text`` into lines of at most ``width`` characters.

    Words are never broken: a word longer than ``width`` gets a line of its own.
    """'
replace textkit/wrap.py '    """Truncate text."""' \
  '    """Shorten ``text`` to at most ``width`` characters, ending with ``placeholder``."""'
commit bob docstring_only "" "wrap: document wrap() and truncate()"

# 9. Tests only.
edit tests/test_tokenizer.py <<'EOF'
        assert Tokenizer(keep_numbers=False).tokenize("route 66 west") == ["route", "west"]
=====
        assert Tokenizer(keep_numbers=False).tokenize("route 66 west") == ["route", "west"]

    def test_empty_text_has_no_tokens(self):
        assert Tokenizer().tokenize("") == []
EOF
cat >> tests/test_tokenizer.py <<'EOF'


def test_word_count_ignores_numbers():
    assert word_count("3 little pigs") == 2
EOF
commit alice no_non_test_files "" "tests: cover empty text and numbers in word_count"

# 10-13. A feature branch, merged with a merge commit; main moves on meanwhile.
git checkout -q -b feature/ini-interpolation
edit textkit/ini.py <<'EOF'
"""A tiny INI reader: [sections], key = value pairs and comment lines ("#" or ";")."""
=====
"""A tiny INI reader: [sections], key = value pairs and comment lines ("#" or ";")."""

import re

_REFERENCE = re.compile(r"\$\{([^}]+)\}")
EOF
edit textkit/ini.py <<'EOF'
        return self.sections.get(section, {}).get(key.lower(), fallback)
=====
        return self.sections.get(section, {}).get(key.lower(), fallback)

    def interpolate(self, value):
        """Replace every ``${section:key}`` reference in ``value`` by that key's value."""

        def replace(match):
            section, key = _split_reference(match.group(1))
            found = self.get(section, key)
            if found is None:
                raise KeyError(f"unknown reference {match.group(0)}")
            return found

        return _REFERENCE.sub(replace, value)
EOF
cat >> textkit/ini.py <<'EOF'


def _split_reference(reference):
    """Split ``section:key`` into its stripped parts."""
    section, _, key = reference.partition(":")
    return section.strip(), key.strip()
EOF
cat >> tests/test_ini.py <<'EOF'


def test_interpolate_replaces_references():
    parser = parse_ini("[paths]\nroot = /srv\n")
    assert parser.interpolate("${paths:root}/data") == "/srv/data"


def test_interpolate_rejects_unknown_reference():
    with pytest.raises(KeyError, match="nope"):
        parse_ini("[paths]\n").interpolate("${paths:nope}")
EOF
commit bob too_many_added_entities "adds a method, a function and an import" "ini: add \${section:key} interpolation"

git checkout -q main
edit textkit/tokenizer.py <<'EOF'
            start = index + 1
    return result
=====
            start = index + 1
    tail = text[start:].strip()
    if tail:
        result.append(tail)
    return result
EOF
cat >> tests/test_tokenizer.py <<'EOF'


def test_sentences_keeps_last_sentence_without_punctuation():
    assert sentences("Hi there. How are you") == ["Hi there.", "How are you"]
    assert sentences("no punctuation at all") == ["no punctuation at all"]
EOF
commit alice candidate "" "tokenizer: keep a last sentence that has no final punctuation"

git checkout -q feature/ini-interpolation
edit textkit/ini.py <<'EOF'
    def interpolate(self, value):
        """Replace every ``${section:key}`` reference in ``value`` by that key's value."""

        def replace(match):
            section, key = _split_reference(match.group(1))
            found = self.get(section, key)
            if found is None:
                raise KeyError(f"unknown reference {match.group(0)}")
            return found
=====
    def interpolate(self, value, _depth=0):
        """Replace every ``${section:key}`` reference in ``value`` by that key's value."""
        if _depth > 10:
            raise ValueError(f"reference loop while interpolating {value!r}")

        def replace(match):
            section, key = _split_reference(match.group(1))
            found = self.get(section, key)
            if found is None:
                raise KeyError(f"unknown reference {match.group(0)}")
            return self.interpolate(found, _depth + 1)
EOF
cat >> tests/test_ini.py <<'EOF'


def test_interpolate_resolves_nested_references():
    parser = parse_ini("[paths]\nroot = /srv\ndata = ${paths:root}/data\nlogs = ${paths:data}/logs\n")
    assert parser.interpolate("${paths:logs}") == "/srv/data/logs"
EOF
commit bob candidate "on the feature branch" "ini: resolve references nested inside referenced values"

cat >> README.md <<'EOF'

## INI interpolation

`IniParser.interpolate("${section:key}")` replaces each reference by the value it names, recursively.
EOF
commit bob no_python_files "on the feature branch" "README: document INI interpolation"

git checkout -q main
identity alice
with_identity git merge -q --no-ff -m "Merge branch 'feature/ini-interpolation'" feature/ini-interpolation
printf '%s\t%s\t%s\t%s\n' "$(git rev-parse HEAD)" "Merge branch 'feature/ini-interpolation'" skipped_merge \
  "merge commits are not ingested" >> "$FUNNEL"

# 15. Values containing '=' crashed the parser (too many values to unpack).
replace textkit/ini.py 'key, value = line.split("=")' 'key, value = line.split("=", 1)'
edit tests/test_ini.py <<'EOF'
        assert parser.sections == {"s": {"k": "v"}}
=====
        assert parser.sections == {"s": {"k": "v"}}

    def test_value_may_contain_equals_sign(self):
        parser = IniParser().read_string("[db]\nurl = postgres://h/db?sslmode=require\n")
        assert parser.get("db", "url") == "postgres://h/db?sslmode=require"
EOF
commit alice candidate "" "ini: split key and value at the first '=' only"

# 16-17. Sphinx docs, then a binary logo.
mkdir -p docs/_static
cat > docs/conf.py <<'EOF'
"""Sphinx configuration for the textkit documentation."""

project = "textkit"
author = "textkit contributors"
extensions = ["sphinx.ext.autodoc"]
html_theme = "alabaster"
EOF
cat > docs/index.rst <<'EOF'
textkit
=======

Small, dependency-free text utilities.

.. automodule:: textkit
   :members:
EOF
commit bob edited_entities_out_of_range "only top-level statements change" "docs: add a Sphinx skeleton"

printf '\211\120\116\107\015\012\032\012\000\000\000\015\111\110\104\122\000\000\000\002\000\000\000\002' \
  > docs/_static/logo.png
printf '\010\002\000\000\000\375\324\232\163\000\000\000\024\111\104\101\124\170\332\143\140\150\150\370' \
  >> docs/_static/logo.png
printf '\377\377\077\003\010\067\064\000\000\066\344\007\373\206\115\055\366\000\000\000\000\111\105\116' \
  >> docs/_static/logo.png
printf '\104\256\102\140\202' >> docs/_static/logo.png
printf 'html_logo = "_static/logo.png"\n' >> docs/conf.py
commit alice non_python_files "png is not an allowed extension (R2E-Gym's harvest would drop it earlier as non_utf8)" \
  "docs: add the textkit logo"

# 18. A refactor touching six non-test modules.
replace textkit/__init__.py '__version__ = "0.1.0"' '__all__ = [
    "IniParser",
    "Tokenizer",
    "camel_case",
    "parse_ini",
    "sentences",
    "slugify",
    "snake_case",
    "truncate",
    "word_count",
    "wrap",
]
__version__ = "0.1.0"'
replace textkit/slugify.py 'import unicodedata' 'import unicodedata
from typing import Optional'
replace textkit/slugify.py 'def _strip_accents(text):' 'def _strip_accents(text: str) -> str:'
replace textkit/slugify.py 'def slugify(text, separator="-", max_length=None):' \
  'def slugify(text: str, separator: str = "-", max_length: Optional[int] = None) -> str:'
replace textkit/wrap.py '"""Greedy word wrapping and truncation."""' '"""Greedy word wrapping and truncation."""

from typing import List'
replace textkit/wrap.py 'def wrap(text, width=70):' 'def wrap(text: str, width: int = 70) -> List[str]:'
replace textkit/wrap.py 'def truncate(text, width, placeholder="..."):' \
  'def truncate(text: str, width: int, placeholder: str = "...") -> str:'
replace textkit/tokenizer.py 'import re' 'import re
from typing import List'
replace textkit/tokenizer.py 'def __init__(self, lowercase=False, keep_numbers=True):' \
  'def __init__(self, lowercase: bool = False, keep_numbers: bool = True) -> None:'
replace textkit/tokenizer.py 'def tokenize(self, text):' 'def tokenize(self, text: str) -> List[str]:'
replace textkit/tokenizer.py 'def sentences(text):' 'def sentences(text: str) -> List[str]:'
replace textkit/tokenizer.py 'def word_count(text):' 'def word_count(text: str) -> int:'
replace textkit/case.py 'def snake_case(name):' 'def snake_case(name: str) -> str:'
replace textkit/case.py 'def camel_case(name, upper_first=False):' 'def camel_case(name: str, upper_first: bool = False) -> str:'
replace textkit/ini.py 'import re' 'import re
from typing import Dict, Optional, Tuple'
replace textkit/ini.py 'def __init__(self):
        self.sections = {}' 'def __init__(self) -> None:
        self.sections: Dict[str, Dict[str, str]] = {}'
replace textkit/ini.py 'def read_string(self, text):' 'def read_string(self, text: str) -> "IniParser":'
replace textkit/ini.py 'def get(self, section, key, fallback=None):' \
  'def get(self, section: str, key: str, fallback: Optional[str] = None) -> Optional[str]:'
replace textkit/ini.py 'def interpolate(self, value, _depth=0):' 'def interpolate(self, value: str, _depth: int = 0) -> str:'
replace textkit/ini.py 'def parse_ini(text):' 'def parse_ini(text: str) -> IniParser:'
replace textkit/ini.py 'def _split_reference(reference):' 'def _split_reference(reference: str) -> Tuple[str, str]:'
commit bob too_many_non_test_files "six non-test files" "Add type hints to the public API"

# 19. Move a helper to a new module (deletes an entity where it was).
cat > textkit/_unicode.py <<'EOF'
"""Unicode helpers shared by textkit modules."""

import unicodedata


def strip_accents(text: str) -> str:
    """Return ``text`` with combining accents removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
EOF
edit textkit/slugify.py <<'EOF'
import re
import unicodedata
from typing import Optional

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _strip_accents(text: str) -> str:
    """Return ``text`` with combining accents removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
=====
import re
from typing import Optional

from textkit._unicode import strip_accents

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
EOF
replace textkit/slugify.py '_strip_accents(text).lower()' 'strip_accents(text).lower()'
commit alice entities_deleted "_strip_accents and import unicodedata leave slugify.py" \
  "Move accent stripping to textkit/_unicode.py"

# 20. Rename a module (git mv plus a small edit).
git mv textkit/case.py textkit/casing.py
replace textkit/casing.py '"""Convert identifiers between snake_case and camelCase."""' \
  '"""Convert identifiers between naming conventions: snake_case, camelCase, PascalCase."""'
replace textkit/__init__.py 'from textkit.case import' 'from textkit.casing import'
replace tests/test_case.py 'from textkit.case import' 'from textkit.casing import'
commit bob renamed_files "" "Rename textkit/case.py to textkit/casing.py"

# 21. A Latin-1 (not UTF-8) data file with the loader that reads it.
mkdir -p textkit/data
printf 'au\nde\n\351t\351\nd\351j\340\nmais\no\371\ntr\350s\n' > textkit/data/stopwords_fr.txt
cat > textkit/stopwords.py <<'EOF'
"""Stop-word lists shipped with textkit."""

from pathlib import Path

_DATA = Path(__file__).parent / "data"


def load_stopwords(language: str) -> frozenset:
    """Return the stop words of ``language``, e.g. ``"fr"``."""
    path = _DATA / f"stopwords_{language}.txt"
    # The lists come from legacy sources and are Latin-1 encoded.
    with path.open(encoding="latin-1") as handle:
        return frozenset(line.strip() for line in handle if line.strip())
EOF
cat > tests/test_stopwords.py <<'EOF'
from textkit.stopwords import load_stopwords


def test_french_stopwords_are_decoded_from_latin1():
    words = load_stopwords("fr")
    assert "été" in words
    assert "où" in words
EOF
commit alice non_python_files \
  "the data file is not UTF-8: ingestion flags it non_utf8 and the selector rejects it, as R2E-Gym's harvest drops such commits" \
  "Add a French stop-word list (Latin-1)"

# 22. truncate() returned text longer than width: the placeholder was not counted.
edit textkit/wrap.py <<'EOF'
    if len(text) <= width:
        return text
    return text[:width] + placeholder
=====
    if len(text) <= width:
        return text
    if width <= len(placeholder):
        return placeholder[:width]
    return text[:width - len(placeholder)].rstrip() + placeholder
EOF
cat >> tests/test_wrap.py <<'EOF'


def test_truncate_counts_the_placeholder():
    assert truncate("hello world", 8) == "hello..."
    assert len(truncate("abcdefghij", 5)) == 5
    assert truncate("abcdefghij", 2) == ".."
EOF
commit bob candidate "" "wrap: truncate() must not exceed width"

# 23. The fix is in Tokenizer.tokenize, the test calls word_count(): matched only through 'issue' in its name.
replace textkit/tokenizer.py 're.findall(r"[A-Za-z0-9_]+", text)' 're.findall(r"\w+", text)'
cat >> tests/test_tokenizer.py <<'EOF'


def test_issue_7_word_count_handles_accented_words():
    assert word_count("naïve café au lait") == 4
EOF
commit alice candidate "matches through 'issue' in the test name" "tokenizer: treat accented letters as word characters" \
  -m "Fixes #7: word_count(\"naïve café\") returned 3 because the word pattern was ASCII-only."

# 24. Release: version strings only.
replace pyproject.toml 'version = "0.1.0"' 'version = "0.2.0"'
replace textkit/__init__.py '__version__ = "0.1.0"' '__version__ = "0.2.0"'
cat > CHANGELOG.md <<'EOF'
# Changelog

## 0.2.0

- INI interpolation with `${section:key}`, `;` comments, values containing `=`.
- Fixes in `wrap`, `truncate`, `slugify`, `snake_case`, `sentences` and `word_count`.
- `textkit.case` is now `textkit.casing`; new `textkit.stopwords`.
EOF
commit bob edited_entities_out_of_range "only version statements change" "Release 0.2.0"
git tag v0.2.0

# 25. Empty commit.
commit alice empty_commit "" "Trigger CI" --allow-empty

if [ "$BUNDLE" = 1 ]; then
  rm -f "$SAMPLES/sample-project.bundle"
  git -c pack.threads=1 bundle create -q "$SAMPLES/sample-project.bundle" --all
  cp "$FUNNEL" "$SAMPLES/expected-funnel.tsv"
fi
echo "built $(git rev-list --all --count) commits in $OUT (HEAD $(git rev-parse HEAD))"
