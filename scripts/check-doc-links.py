#!/usr/bin/env python3
"""Check the relative links of README.md and docs/*.md, and the docs/ pages that
comments in src/ and tests/ cite (run by .ci/run).

Every relative link or image (Markdown `[text](target)`, reference definitions
`[name]: target`, and HTML `href="…"`/`src="…"`) must lead to a file or folder of the
repository, and a `#fragment` must name a heading (by GitHub's slug rules) or an
`id="…"`/`name="…"` anchor of the Markdown file it points at. Links inside code blocks
and code spans are not links. Absolute URLs (`https:`, `mailto:`, …) are not fetched.

A citation in a Rust file (`docs/data-format.md#share-precisely`) must name a page
of docs/ and, with a fragment, one of its headings, by the same rules.

    scripts/check-doc-links.py [FILE.md|DIR ...]   # default: README.md ARCHITECTURE.md docs, and citations

Prints each broken link as FILE:LINE: message, then a count; exits 1 if any is broken.
"""

import html
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HTML_ATTR = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
ANCHOR_ATTR = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
CITATION = re.compile(r"\bdocs/[A-Za-z0-9_./-]*?\.md(?:#[A-Za-z0-9_-]+)?")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def prose_lines(text):
    """(line number, line) of the lines outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            continue
        if fence is not None:
            if line.strip().startswith(fence) and set(line.strip()) <= set(fence[0]):
                fence = None
            continue
        yield number, line


def slug(heading):
    """The anchor GitHub gives a heading: its rendered text, lowercased, with
    punctuation dropped and each space turned into a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links: their text
    text = re.sub(r"<[^>]+>", "", text)  # HTML tags
    text = html.unescape(text).replace("`", "").lower()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in " -_" or category[0] in "LNM" or category == "Pc":
            kept.append(char)
    return "".join(kept).replace(" ", "-")


def anchors_of(path, cache={}):
    """Every fragment a Markdown file answers to."""
    if path not in cache:
        found, seen = set(), {}
        for _, line in prose_lines(path.read_text(encoding="utf-8")):
            heading = HEADING.match(line)
            if heading:
                base = slug(heading.group(2))
                count = seen.get(base, 0)
                seen[base] = count + 1
                found.add(base if count == 0 else f"{base}-{count}")
            found.update(ANCHOR_ATTR.findall(line))
        cache[path] = found
    return cache[path]


def links_of(path):
    """(line number, target) of every link in a Markdown file's prose."""
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        line = CODE_SPAN.sub("", line)
        for pattern in (INLINE, REFERENCE, HTML_ATTR):
            for target in pattern.findall(line):
                yield number, target


def problem(source, target):
    """What is wrong with one link, or None."""
    if SCHEME.match(target) or target.startswith("//"):
        return None
    target_path, _, fragment = target.partition("#")
    dest = (source.parent / unquote(target_path)).resolve() if target_path else source
    try:
        dest.relative_to(ROOT)
    except ValueError:
        return f"{target}: leads outside the repository"
    if not dest.exists():
        return f"{target}: no such file or folder"
    if fragment:
        if dest.is_dir() or dest.suffix != ".md":
            return f"{target}: a #fragment on something that is not a Markdown file"
        if unquote(fragment) not in anchors_of(dest):
            return f"{target}: {dest.relative_to(ROOT)} has no heading or anchor #{fragment}"
    return None


def markdown_files(arguments):
    for argument in arguments or ["README.md", "ARCHITECTURE.md", "docs"]:
        path = (ROOT / argument) if not Path(argument).is_absolute() else Path(argument)
        if path.is_dir():
            yield from sorted(path.rglob("*.md"))
        else:
            yield path


def citations():
    """(path, line number, citation) of every docs/ page cited in a comment of src/ and
    tests/ (a test may well write a `docs/…` file of its own into a scratch repository)."""
    for folder in ("src", "tests"):
        for path in sorted((ROOT / folder).rglob("*.rs")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), 1):
                comment = line.find("//")
                if comment < 0:
                    continue
                for citation in CITATION.findall(line[comment:]):
                    yield path, number, citation


def main(arguments):
    broken = 0
    checked = 0
    if not arguments:
        for path, number, citation in citations():
            checked += 1
            message = problem(ROOT / "README.md", citation)
            if message:
                print(f"{path.relative_to(ROOT)}:{number}: {message}")
                broken += 1
    for path in markdown_files(arguments):
        path = path.resolve()
        if not path.is_file():
            print(f"{path}: no such file")
            broken += 1
            continue
        for number, target in links_of(path):
            checked += 1
            message = problem(path, target)
            if message:
                print(f"{path.relative_to(ROOT)}:{number}: {message}")
                broken += 1
    print(f"doc links: {checked} checked, {broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
