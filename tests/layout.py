#!/usr/bin/env python3
"""The house rules of the source tree, checked (make test runs this):

1. No import circle between files: in Rust, every `crate::…` path (a `use` or written
   inline) and every `super::…` path names the file of the module it reaches; in www/,
   every `import … from './…'`. A file that reaches itself through such names fails,
   with the circle printed.
2. Sizes: no `.rs` file in src/ over 800 lines; no Rust function over 80 lines unless
   the line before it says why it is long (a comment with "hot loop"); no www/ function
   over 60 lines.

Run: python3 tests/layout.py (from anywhere); exit status 1 on a broken rule.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
WWW = os.path.join(ROOT, "www")

MAX_FILE = 800
MAX_RUST_FN = 80
MAX_JS_FN = 60


def rust_files():
    out = []
    for d, _, files in os.walk(SRC):
        if os.path.relpath(d, SRC).split(os.sep)[0] == "bin":
            continue  # the CLI is its own crate, over the library
        out += [os.path.join(d, f) for f in files if f.endswith(".rs")]
    return sorted(out)


def module_of(path):
    """The module path of a file: src/lib.rs → (), src/a/mod.rs → (a,), src/a/b.rs → (a, b)."""
    rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
    if rel[-1] in ("lib", "mod"):
        rel = rel[:-1]
    return tuple(rel)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] for line in text.splitlines())


def rust_graph():
    files = rust_files()
    by_module = {module_of(f): f for f in files}
    graph = {}
    for f in files:
        me = module_of(f)
        text = strip_comments(open(f, encoding="utf-8").read())
        # `use a::{b, c::d}` groups: expand one level of braces into paths.
        paths = []
        for m in re.finditer(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)(::\{([^}]*)\})?", text):
            base = [m.group(1)] + m.group(2).split("::")[1:]
            if m.group(4):
                for part in m.group(4).split(","):
                    part = part.strip().split(" as ")[0]
                    if part and part != "self" and re.match(r"^[A-Za-z_][A-Za-z0-9_:]*$", part):
                        paths.append(base + part.split("::"))
                    elif part == "self":
                        paths.append(base)
            else:
                paths.append(base)
        deps = set()
        for p in paths:
            if p[0] == "crate":
                mod = []
            else:
                mod = list(me)  # each `super` is one module up from this file's own
                while p and p[0] == "super":
                    p = p[1:]
                    mod = mod[:-1]
                p = ["crate"] + p
            names = p[1:]
            # The longest prefix that is a module with a file of its own.
            best = None
            for i in range(len(names), -1, -1):
                cand = tuple(mod + names[:i])
                if cand in by_module:
                    best = by_module[cand]
                    break
            if best and best != f:
                deps.add(best)
        graph[f] = deps
    return graph


def js_graph():
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(WWW) for f in fs if f.endswith(".js"))
    graph = {}
    for f in files:
        text = open(f, encoding="utf-8").read()
        deps = set()
        for m in re.finditer(r"""(?:^|\n)\s*import\s[^;]*?from\s+['"](\.[^'"]+)['"]""", text):
            target = os.path.normpath(os.path.join(os.path.dirname(f), m.group(1)))
            if target.startswith(WWW) and os.path.exists(target):
                deps.add(target)
        graph[f] = deps
    return graph


def circles(graph):
    """Every circle (as a list of files), found by a depth-first search."""
    found, state, stack = [], {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                found.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    return found


def long_rust_fns(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    out = []
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(unsafe\s+)?fn\s+([A-Za-z_0-9]+)", line)
        if not m:
            continue
        indent = m.group(1)
        # The function's end: the first line after it that closes at its indentation.
        for j in range(i + 1, len(lines)):
            if lines[j].startswith(indent + "}") and not lines[j].startswith(indent + "} else"):
                break
        else:
            continue
        length = j - i + 1
        said = any("hot loop" in lines[k] for k in range(max(0, i - 4), i))
        if length > MAX_RUST_FN and not said:
            out.append((m.group(6), i + 1, length))
    return out


def long_js_fns(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    out = []
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)(export\s+)?(async\s+)?function\s+([A-Za-z_0-9]+)", line)
        if not m:
            continue
        indent = m.group(1)
        for j in range(i + 1, len(lines)):
            if lines[j].startswith(indent + "}"):
                break
        else:
            continue
        if j - i + 1 > MAX_JS_FN:
            out.append((m.group(4), i + 1, j - i + 1))
    return out


def main():
    problems = []
    for name, graph in (("Rust", rust_graph()), ("www", js_graph())):
        for c in circles(graph):
            problems.append(f"{name} import circle: " + " -> ".join(os.path.relpath(p, ROOT) for p in c))
    for f in rust_files():
        n = sum(1 for _ in open(f, encoding="utf-8"))
        if n > MAX_FILE:
            problems.append(f"{os.path.relpath(f, ROOT)}: {n} lines (at most {MAX_FILE})")
        for fn, at, length in long_rust_fns(f):
            problems.append(f"{os.path.relpath(f, ROOT)}:{at}: fn {fn} is {length} lines (at most {MAX_RUST_FN}, or say why: hot loop)")
    for f in sorted(os.path.join(d, x) for d, _, fs in os.walk(WWW) for x in fs if x.endswith(".js")):
        for fn, at, length in long_js_fns(f):
            problems.append(f"{os.path.relpath(f, ROOT)}:{at}: function {fn} is {length} lines (at most {MAX_JS_FN})")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} rule(s) broken")
        return 1
    print("layout: no import circle; files and functions within their sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
