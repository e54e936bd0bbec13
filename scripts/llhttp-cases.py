#!/usr/bin/env python3
"""Transcribe llhttp's request and response test cases into fixtures/http1/ (data only).

Usage: scripts/llhttp-cases.py LLHTTP_GIT_DIR [REV]

Reads test/request/*.md and test/response/*.md of the nodejs/llhttp repository (a bare git
directory or a work tree) and writes fixtures/http1/llhttp-cases.jsonl: one JSON object a line
with the case's source (file:line at the revision), its title, its type (`request`, `response`,
or a lenient mode), llhttp's metadata, the input as hex (after llhttp's own escape rules, from
test/md-test.ts: CRLF line ends, \\r \\n \\t \\f \\xHH \\NNN) and llhttp's verdict (`ok`, or the
error line of its log). FjordHTTP1Tests.LLHTTPCaseTests replays them against NIO's decoder
and FjordHTTP1.
"""
import json
import re
import subprocess
import sys


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True, text=True).stdout


def unescape(block):
    s = block
    s = re.sub(r"\n$", "", s)
    s = re.sub(r"\\(\r\n|\r|\n)", "", s)
    s = re.sub(r"\r\n|\r|\n", "\r\n", s)
    s = s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\f", "\f")
    s = re.sub(r"\\x([0-9a-fA-F]+)", lambda m: chr(int(m.group(1), 16)), s)
    s = re.sub(r"\\([0-7]{1,3})", lambda m: chr(int(m.group(1), 8)), s)
    # llparse-test-fixture hands the input to the parser as a UTF-8 string.
    return s.encode("utf-8")


def cases(path, text):
    lines = text.split("\n")
    title, meta, meta_line = "", None, 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            title = line.lstrip("#").strip()
        elif i + 1 < len(lines) and re.fullmatch(r"=+|-+", lines[i + 1] or "x") and line.strip():
            title = line.strip()
        m = re.match(r"<!--\s*meta=(\{.*\})\s*-->", line)
        if m:
            meta, meta_line = json.loads(m.group(1)), i + 1
        if line.startswith("```http") and meta is not None:
            j = i + 1
            body = []
            while lines[j] != "```":
                body.append(lines[j])
                j += 1
            raw = "\n".join(body) + "\n"
            k = j + 1
            while not lines[k].startswith("```log"):
                k += 1
            k += 1
            log = []
            while lines[k] != "```":
                log.append(lines[k])
                k += 1
            errors = [l for l in log if " error code=" in l]
            yield {
                "source": f"{path}:{meta_line}",
                "title": title,
                "type": meta.get("type", ""),
                "meta": {k2: v for k2, v in meta.items() if k2 != "type"},
                "input": unescape(raw).hex(),
                "llhttp": errors[0].split(" ", 1)[1] if errors else "ok",
            }
            meta = None
            i = k
        i += 1


def main():
    gitdir = sys.argv[1]
    rev = sys.argv[2] if len(sys.argv) > 2 else "HEAD"
    commit = git(gitdir, "rev-parse", rev).strip()
    files = [
        f for f in git(gitdir, "ls-tree", "-r", "--name-only", commit, "test/request", "test/response").split()
        if f.endswith(".md")
    ]
    out = []
    for f in sorted(files):
        out.extend(cases(f, git(gitdir, "show", f"{commit}:{f}")))
    with open("fixtures/http1/llhttp-cases.jsonl", "w") as fh:
        fh.write(json.dumps({"source": "https://github.com/nodejs/llhttp", "commit": commit,
                             "files": "test/request/*.md, test/response/*.md", "cases": len(out)}) + "\n")
        for c in out:
            fh.write(json.dumps(c, sort_keys=True) + "\n")
    print(f"{len(out)} cases from {len(files)} files at {commit}")


main()
