"""Fetch YASGUI with npm and copy its built files into the package (a maintenance script, not part of irgraph).

Refresh the vendored editor from a source checkout with::

    python tools/vendor_yasgui.py            # the version pinned below
    python tools/vendor_yasgui.py --check    # only check the committed files against the pin

It runs ``npm pack @zazuko/yasgui@VERSION`` in a temporary folder (npm is
needed only here: the copied files are committed, so neither CI nor a
``pip install`` needs it), copies ``build/yasgui.min.js`` and
``build/yasgui.min.css`` to ``src/irgraph/static/yasgui/``, drops the
``sourceMappingURL`` comment (the map is not shipped, so a browser's
developer tools would ask for a file that is not there), and checks the
bundle: every place in it that fetches from another host must be one that
the editor's configuration switches off (``src/irgraph/static/editor.js``);
a new one fails the refresh until it is looked at.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
VERSION = "4.6.2"
TARGET = Path(__file__).resolve().parent.parent / "src" / "irgraph" / "static" / "yasgui"
FILES = ("yasgui.min.js", "yasgui.min.css")
#: the bundle's own requests to other hosts, each with what switches it off in static/editor.js
KNOWN_FETCHES = {
    "lov.linkeddata.es/dataset/lov/api/v2/autocomplete/terms": "the class and property completers are replaced",
    "prefixCcApi?fetch(": "prefixCcApi: null (the bundled list, then irgraph's own prefixes)",
    "checkEndpointForCors": "corsProxy is left unset, so the CORS probe never runs",
    "https://dbpedia.org/sparql": "the endpoint and the endpoint catalogue are this server's only",
    "https://query.wikidata.org/bigdata/namespace/wdq/sparql": "the same",
}
_FETCH = re.compile(r"fetch\(")


def _fetch_sites(script: str) -> int:
    return len(_FETCH.findall(script))


def check_bundle(script: str) -> list[str]:
    """What in ``script`` would request another host and is not known to be switched off (empty: none).

    >>> check_bundle("fetch(c)")
    ['the bundle calls fetch( 1 times; expected 4: look at the new call sites']
    """
    problems = []
    for marker in KNOWN_FETCHES:
        if marker not in script:
            problems.append(f"the bundle no longer contains {marker!r}: update KNOWN_FETCHES and static/editor.js")
    # query, prefix list, LOV, CORS probe: the four calls this version makes
    if _fetch_sites(script) != 4:
        problems.append(f"the bundle calls fetch( {_fetch_sites(script)} times; expected 4: look at the new call sites")
    for pattern in ("fonts.googleapis", "gstatic.com", "cdn.jsdelivr", "unpkg.com", "prefix.cc/popular"):
        if pattern in script:
            problems.append(f"the bundle names {pattern!r}")
    return problems


def _cleaned(name: str, data: bytes) -> bytes:
    text = data.decode("utf-8")
    text = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text) if name.endswith(".js") else text
    text = re.sub(r"/\*# sourceMappingURL=\S+ \*/\s*$", "\n", text)
    return text.encode("utf-8")


def vendor() -> list[Path]:
    """Fetch the pinned version with npm, check it, and write the files; returns the paths written."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed (Debian: apt-get install npm)")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([npm, "pack", "--silent", f"{PACKAGE}@{VERSION}"], cwd=folder, check=True, capture_output=True)
        archive = next(Path(folder).glob("*.tgz"))
        with tarfile.open(archive) as tar:
            contents = {name: tar.extractfile(f"package/build/{name}").read() for name in FILES}  # type: ignore[union-attr]
    contents = {name: _cleaned(name, data) for name, data in contents.items()}
    problems = check_bundle(contents["yasgui.min.js"].decode("utf-8"))
    if problems:
        raise SystemExit("refusing the new bundle:\n  " + "\n  ".join(problems))
    TARGET.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in contents.items():
        (TARGET / name).write_bytes(data)
        written.append(TARGET / name)
    return written


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if argv and argv[0] == "--check":
        script = (TARGET / "yasgui.min.js").read_text(encoding="utf-8")
        problems = check_bundle(script)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    for path in vendor():
        print(f"wrote {path} (sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}…)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
