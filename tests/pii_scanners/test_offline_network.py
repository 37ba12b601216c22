"""``python -m pii_scanners`` opens no network connection, from import to output (hermetic).

Runs in a fresh interpreter so that import-time behaviour is what is checked: socket connect
and name resolution are patched to raise (and record) for anything but loopback before
pii_scanners (and with it presidio, spaCy, tldextract) is imported. This is a guard, not a mock
of a component. The same run checks the module entry point: a valid file scans with exit code
0, a malformed one ends with exit code 2, a message naming the line, and not its text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CANARY = "Zebrafink-Geheimnis-4711"

PROBE = textwrap.dedent(
    """
    import ipaddress, runpy, socket, sys
    attempts = []

    def local(host):
        try:
            return ipaddress.ip_address(str(host).strip("[]")).is_loopback
        except ValueError:
            return host in ("localhost", "", None)

    real_connect = socket.socket.connect
    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and not local(host):
            attempts.append(("connect", host))
            raise OSError("network blocked by test")
        return real_connect(self, address)
    socket.socket.connect = connect
    real_getaddrinfo = socket.getaddrinfo
    def getaddrinfo(host, *a, **k):
        if not local(host):
            attempts.append(("getaddrinfo", host))
            raise OSError("network blocked by test")
        return real_getaddrinfo(host, *a, **k)
    socket.getaddrinfo = getaddrinfo

    codes = []
    for args in (sys.argv[1:5], sys.argv[5:9]):
        sys.argv = ["pii_scanners", "scan", *args]
        try:
            runpy.run_module("pii_scanners", run_name="__main__", alter_sys=True)
        except SystemExit as exc:
            codes.append(exc.code)
    print("CODES", codes, "ATTEMPTS", attempts)
    """
)


def test_module_entry_point_scans_offline_and_reports_malformed_input(tmp_path):
    good = tmp_path / "good.jsonl"
    notes = [
        {"id": "1", "text": "Mail an info@beispiel-laden.de oder k.meyer@example.co.uk"},
        {
            "id": "2",
            "text": "Herr Brandt, Tel. 0171 2345678, Lindenweg 4, 34117 Kassel",
            "lang": "de",
        },
        {"id": "3", "text": "My daughter Emma has asthma, call 020 7946 0018.", "lang": "en"},
    ]
    good.write_text("".join(json.dumps(n) + "\n" for n in notes), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(notes[0]) + "\n" + '{"id": "x", "text": "' + CANARY + '"\n')
    out_good, out_bad = tmp_path / "good.out.jsonl", tmp_path / "bad.out.jsonl"
    cmd = [
        sys.executable, "-c", PROBE,
        "--input", str(good), "--output", str(out_good),
        "--input", str(bad), "--output", str(out_bad),
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    assert "CODES [0, 2] ATTEMPTS []" in proc.stdout, proc.stdout + proc.stderr
    assert "line 2" in proc.stderr and CANARY not in proc.stderr + proc.stdout
    rows = [json.loads(line) for line in out_good.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert {f["entity_type"] for f in rows[0]["findings"]} == {"EMAIL_ADDRESS"}
    # without --strict the valid line of the bad file is still scanned (and the run exits 2)
    assert [json.loads(r)["id"] for r in out_bad.read_text(encoding="utf-8").splitlines()] == ["1"]


STOCK_TLDEXTRACT_PROBE = textwrap.dedent(
    """
    import socket
    attempts = []
    def blocked(*args, **kwargs):
        attempts.append(args[:1])
        raise OSError("network blocked by test")
    socket.getaddrinfo = blocked
    import pii_scanners.scanner  # the usual first import: presidio_analyzer before our engine
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer
    found = EmailRecognizer().analyze("Mail an k.meyer@example.co.uk", ["EMAIL_ADDRESS"])
    print("FOUND", len(found), "URLS", list(tldextract.tldextract.TLD_EXTRACTOR.suffix_list_urls),
          "ATTEMPTS", attempts)
    """
)


def test_importing_the_scanner_keeps_every_tldextract_user_offline():
    """Presidio's stock EmailRecognizer validates with tldextract's module-level extractor,
    built when tldextract is first imported. Importing pii_scanners must switch that
    extractor offline before presidio_analyzer imports tldextract, whatever the import order
    and without the Makefile's environment (the variable is removed here)."""
    env = {k: v for k, v in os.environ.items() if k != "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"}
    cmd = [sys.executable, "-c", STOCK_TLDEXTRACT_PROBE]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, env=env)
    assert "FOUND 1 URLS [] ATTEMPTS []" in proc.stdout, proc.stdout + proc.stderr
