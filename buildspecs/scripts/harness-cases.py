#!/usr/bin/env python3
"""The image-test cases of a SageMaker Distribution, read from its own pytest harness, with the harness's skips.

Reads test/test_dockerfile_based_harness.py with the ast module (nothing of it is imported or run: it needs
docker-py, conda and semver): the (Dockerfile, [required packages]) lists of @pytest.mark.parametrize, one per
image type (the function's @pytest.mark.cpu / .gpu marker), and the Dockerfiles it runs until a log line appears
instead of until exit (`dockerfile_path in [...]` with `_wait_for_logs(container, "<text>", timeout=N)`).
Then decides each case's skip the way the harness does, in its order: the Dockerfile is missing from
test_artifacts/v<major>/, the env.out is missing, a required package is not in the env.out (conda MatchSpec
names). Prints the plan as JSON on stdout:
  {"cases": [{"name", "id", "requiredPackages", "skip": null|"<reason>", "waitForLog": null|{"text", "timeout"}}],
   "deselected": <cases of the other image types>}
Standard library only (CodeBuild's python3).
"""

import argparse
import ast
import json
import os
import re
import sys

PACKAGE_EXTENSIONS = (".conda", ".tar.bz2")
# A MatchSpec's name: what precedes version, build or bracket syntax, after an optional "channel::".
SPEC_NAME = re.compile(r"^([^\s=<>!~\[\]()]+)")


def _is_marker(decorator, name):
    """@pytest.mark.<name>"""
    return (
        isinstance(decorator, ast.Attribute)
        and decorator.attr == name
        and isinstance(decorator.value, ast.Attribute)
        and decorator.value.attr == "mark"
    )


def _parametrize(decorator):
    """(argument names, values) of @pytest.mark.parametrize("a, b", [...]), else None."""
    if not (isinstance(decorator, ast.Call) and _is_marker(decorator.func, "parametrize")):
        return None
    if len(decorator.args) < 2:
        return None
    names = [n.strip() for n in ast.literal_eval(decorator.args[0]).split(",")]
    return names, ast.literal_eval(decorator.args[1])


def _pytest_id(value, argname, index):
    """The id pytest gives a parameter value: a string as it is, anything else argname + index."""
    if isinstance(value, str) and value.isascii() and value.isprintable():
        return value
    return f"{argname}{index}"


def read_harness(path):
    """{image type: [case]} and the log-wait rule of the harness file at path."""
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read(), filename=path)
    lists = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        types = [m for m in ("cpu", "gpu") if any(_is_marker(d, m) for d in node.decorator_list)]
        params = [p for p in (_parametrize(d) for d in node.decorator_list) if p]
        if len(types) != 1 or len(params) != 1:
            continue
        argnames, values = params[0]
        cases = []
        for index, (dockerfile, packages) in enumerate(values):
            ids = "-".join(_pytest_id(v, a, index) for v, a in zip((dockerfile, packages), argnames))
            cases.append(
                {"name": dockerfile, "id": f"{node.name}[{ids}]", "requiredPackages": list(packages)}
            )
        lists.setdefault(types[0], []).extend(cases)
    return lists, _log_wait(tree)


def _log_wait(tree):
    """{"dockerfiles": [...], "text", "timeout"} of the harness's log-wait cases, or None when it has none."""
    dockerfiles, call, defaults = [], None, {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and node.left.id == "dockerfile_path"
            and len(node.ops) == 1
            and isinstance(node.ops[0], ast.In)
            and isinstance(node.comparators[0], (ast.List, ast.Tuple, ast.Set))
        ):
            dockerfiles.extend(ast.literal_eval(node.comparators[0]))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_wait_for_logs":
            call = call or node
        elif isinstance(node, ast.FunctionDef) and node.name == "_wait_for_logs":
            args = node.args.args[-len(node.args.defaults):] if node.args.defaults else []
            defaults = {a.arg: ast.literal_eval(d) for a, d in zip(args, node.args.defaults)}
    if not dockerfiles:
        return None
    if call is None or len(call.args) < 2:
        sys.exit(f"harness-cases: the harness names log-wait Dockerfiles {dockerfiles} but no _wait_for_logs(...) call")
    keywords = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    positional = ast.literal_eval(call.args[2]) if len(call.args) > 2 else defaults.get("timeout")
    timeout = keywords.get("timeout", positional)
    return {"dockerfiles": dockerfiles, "text": ast.literal_eval(call.args[1]), "timeout": timeout}


def package_name(line):
    """The conda MatchSpec name of one env file line: an explicit package URL or a spec such as
    conda-forge::python[version='>=3.12']; None for blank lines, comments and @EXPLICIT."""
    line = line.strip()
    if not line or line.startswith("#") or line.startswith("@"):
        return None
    spec = line.split("#", 1)[0].strip()
    if spec.endswith(PACKAGE_EXTENSIONS):
        filename = spec.rsplit("/", 1)[-1]
        for extension in PACKAGE_EXTENSIONS:
            if filename.endswith(extension):
                filename = filename[: -len(extension)]
        return filename.rsplit("-", 2)[0]
    match = SPEC_NAME.match(spec.rsplit("::", 1)[-1])
    return match.group(1) if match else None


def package_names(env_out):
    with open(env_out, encoding="utf-8") as lines:
        return {name for name in map(package_name, lines) if name}


def plan(harness, image_type, artifacts, env_out):
    lists, log_wait = read_harness(harness)
    cases = lists.get(image_type, [])
    names = package_names(env_out) if os.path.isfile(env_out) else None
    env_out_name = os.path.basename(env_out)
    for case in cases:
        dockerfile = case["name"]
        if os.path.isabs(dockerfile) or ".." in dockerfile.split("/"):
            sys.exit(f"harness-cases: Dockerfile '{dockerfile}' of {case['id']} is not inside test_artifacts")
        skip = None
        if not os.path.isfile(os.path.join(artifacts, dockerfile)):
            skip = f"Skipping test because {dockerfile} does not exist."
        elif names is None:
            skip = f"Skipping test because {env_out} does not exist."
        else:
            missing = [p for p in case["requiredPackages"] if p not in names]
            if missing:
                skip = f"Skipping test because {missing[0]} is not present in {env_out_name}"
        case["skip"] = skip
        waits = log_wait is not None and dockerfile in log_wait["dockerfiles"]
        case["waitForLog"] = {"text": log_wait["text"], "timeout": log_wait["timeout"]} if waits else None
    deselected = sum(len(c) for t, c in lists.items() if t != image_type)
    return {"cases": cases, "deselected": deselected}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--harness", required=True, help="test/test_dockerfile_based_harness.py")
    parser.add_argument("--image-type", required=True, help="cpu or gpu: whose parametrize list")
    parser.add_argument("--artifacts", required=True, help="test/test_artifacts/v<major>")
    parser.add_argument("--env-out", required=True, help="the version's <type>.env.out")
    args = parser.parse_args()
    json.dump(plan(args.harness, args.image_type, args.artifacts, args.env_out), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
