#!/usr/bin/env python3
"""Every relative link in README.md, docs/ and bench/ names a file of the repository and, after '#', a heading of it.

Anchors are GitHub's: the heading in lower case, punctuation other than '-' and '_' dropped, spaces as '-', and
'-1', '-2'... for repeated headings. Links inside code blocks and absolute URLs are not checked.
"""
import glob
import os
import re
import sys


def slug(heading):
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path):
    found, seen, fenced = set(), {}, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                fenced = not fenced
                continue
            m = None if fenced else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if m:
                s = slug(m.group(1))
                n = seen.get(s, 0)
                seen[s] = n + 1
                found.add(s if n == 0 else f"{s}-{n}")
    return found


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    root = os.getcwd()
    bad = 0
    files = ["README.md"] + sorted(glob.glob("docs/**/*.md", recursive=True) + glob.glob("bench/*.md"))
    for doc in files:
        with open(doc, encoding="utf-8") as f:
            text = re.sub(r"```.*?```", "", f.read(), flags=re.S)
        for m in re.finditer(r"\]\(([^)\s]+)\)", text):
            link = m.group(1)
            if re.match(r"[a-z][a-z0-9+.-]*:", link):
                continue
            path, _, anchor = link.partition("#")
            target = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
            if os.path.relpath(os.path.abspath(target), root).startswith("..") or not os.path.exists(target):
                print(f"{doc}: link to a missing file: {link}")
                bad += 1
            elif anchor and target.endswith(".md") and anchor not in anchors(target):
                print(f"{doc}: link to a missing heading: {link}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
