"""In-container helper of the agent's ToolBox (io.r2estream.agent). Runs with the base image's /usr/bin/python3,
never the repository's interpreter, and prints one JSON object.

  spans:  R2E_PATH=<file>             -> {"ranges": [[first, last], ...]}  0-based inclusive line ranges to elide
                                         (function bodies, long class docstrings), in ast.walk order;
                                         {"error": "..."} when the file does not parse.
  search: R2E_PATH=<dir> R2E_TERM=<t> R2E_PY_ONLY=1|0
                                      -> {"dir": <real path>, "matches": [["./rel/path.py", lines], ...]}
                                         non-hidden files (.py only with R2E_PY_ONLY=1), sorted walk;
                                         {"error": "..."} when it is not a directory.
"""
import ast
import json
import os
import sys


def spans(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as e:
        return {"error": str(e)}
    ranges = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0].lineno - 1
            last = node.body[-1].end_lineno - 1
            if last - first >= 3:
                ranges.append([first, last])
        if isinstance(node, ast.ClassDef) and node.body:
            doc = node.body[0]
            if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str):
                first = doc.lineno - 1
                last = doc.end_lineno - 1
                if last - first >= 4:
                    # The docstring's opening and closing lines stay visible.
                    ranges.append([first + 1, last - 1])
    return {"ranges": ranges}


def search(directory, term, python_only):
    directory = os.path.realpath(directory)
    if not os.path.isdir(directory):
        return {"error": "not a directory", "dir": directory}
    matches = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or (python_only and not name.endswith(".py")):
                continue
            path = os.path.join(root, name)
            try:
                with open(path, "r", errors="ignore") as f:
                    count = sum(1 for line in f if term in line)
            except (OSError, UnicodeDecodeError):
                continue
            if count > 0:
                rel = os.path.relpath(path, start=os.getcwd())
                matches.append([rel if rel.startswith("./") else "./" + rel, count])
    return {"dir": directory, "matches": matches}


if __name__ == "__main__":
    if sys.argv[1] == "spans":
        result = spans(os.environ["R2E_PATH"])
    else:
        result = search(os.environ["R2E_PATH"], os.environ["R2E_TERM"], os.environ.get("R2E_PY_ONLY", "1") == "1")
    sys.stdout.write(json.dumps(result))
