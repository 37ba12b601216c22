"""Screenshots of the Dagster launchpads in ``docs/images``, taken from a real webserver.

The test starts ``dagster-webserver`` on a free loopback port against the session's Dagster
home, opens the launchpads of the export and the erase job in the test suite's headless
Chromium (``tests/reporting/report_browser.py``: hermetic flags, no name but localhost
resolves) and checks what the editor offers before saving the picture: ``subject`` and
``request_id`` for the export, ``manifest_id`` and ``dry_run`` for the erasure, and no resource
fields. Skips, saying why, when Chromium or chromedriver is missing.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.lib.settings import REPO_ROOT
from tests.reporting.report_browser import headless_chromium, unavailable_reason

IMAGES = REPO_ROOT / "docs" / "images"
LOCATION = "crm_governance"
#: Job, the launchpad's expected lines, image name.
LAUNCHPADS = (
    ("export_subject_data_job", ("subject:", "request_id:"), "launchpad_export_subject_data.png"),
    ("erase_manifest_job", ("manifest_id:", "dry_run: false"), "launchpad_erase_manifest.png"),
)
EDITOR_TEXT_JS = """
const cm = document.querySelector('.CodeMirror');
return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : null;
"""

SHOW_REFUSAL_JS = """
const all = [...document.querySelectorAll('body *')].reverse();
const el = all.find((e) => e.textContent.includes('subject looks like an e-mail address'));
if (el) { el.scrollIntoView({block: 'end'}); }
"""

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def responds(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("webserver") / "webserver.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("dagster-webserver")),
                "-w",
                "workspace.yaml",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            cwd=REPO_ROOT,
            env=os.environ.copy(),
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group: the code server it spawns stops with it.
            start_new_session=True,
        )
    try:
        wait_until(lambda: responds(f"http://127.0.0.1:{port}/server_info"), 180, "webserver")
        # The browser's resolver rules let only the name localhost through (not IP literals).
        yield f"http://localhost:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def dismiss_community_dialog(driver) -> None:  # type: ignore[no-untyped-def]
    """Dagster's first-visit "join the community" dialog covers the launchpad: skip it."""
    from selenium.webdriver.common.by import By

    for _ in range(10):
        buttons = driver.find_elements(By.XPATH, "//button[normalize-space()='Skip']")
        if buttons:
            buttons[0].click()
            return
        time.sleep(0.5)


def save_small_png(png: bytes, target: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=128, dither=Image.Dither.NONE).save(target, optimize=True)


@pytest.mark.parametrize(("job", "expected", "image"), LAUNCHPADS)
def test_the_launchpad_offers_only_its_own_fields_and_is_pictured(
    webserver: str, job: str, expected: tuple[str, ...], image: str
) -> None:
    with headless_chromium(1280, 720) as driver:
        driver.get(f"{webserver}/locations/{LOCATION}/jobs/{job}/playground")
        text = wait_until(lambda: driver.execute_script(EDITOR_TEXT_JS), 180, f"{job} launchpad")
        dismiss_community_dialog(driver)
        time.sleep(1.5)  # the config validation and the right-hand schema panel settle
        IMAGES.mkdir(parents=True, exist_ok=True)
        save_small_png(driver.get_screenshot_as_png(), IMAGES / image)
    for line in expected:
        assert line in text, text
    assert "resources" not in text and "ops:" not in text, text


LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchPipelineExecution(executionParams: $params) {
    __typename
    ... on PythonError { message causes { message } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on LaunchRunSuccess { run { runId } }
  }
}
"""


def test_the_webserver_refuses_an_email_subject_and_stores_nothing_of_it(webserver: str) -> None:
    """The launchpad's own path (GraphQL launch): refused before a run exists."""
    import json

    email = "refused.subject.7f3a@example.org"
    body = json.dumps(
        {
            "query": LAUNCH,
            "variables": {
                "params": {
                    "selector": {
                        "repositoryLocationName": LOCATION,
                        "repositoryName": "__repository__",
                        "pipelineName": "export_subject_data_job",
                    },
                    "runConfigData": {"subject": email},
                    "mode": "default",
                }
            },
        }
    ).encode()
    url = webserver.replace("localhost", "127.0.0.1") + "/graphql"
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # loopback only
            payload = response.read()
    except urllib.error.HTTPError as error:  # the webserver answers a refused launch with 500
        payload = error.read()
    answer = json.loads(payload)["data"]["launchPipelineExecution"]
    assert answer["__typename"] == "PythonError", answer
    assert "subject looks like an e-mail address" in json.dumps(answer), answer
    assert email not in json.dumps(answer), "the refusal must not repeat the address"
    home = Path(os.environ["DAGSTER_HOME"])
    stored = [p for p in home.rglob("*") if p.is_file() and email.encode() in p.read_bytes()]
    assert stored == []


def test_the_launchpad_shows_why_an_email_subject_is_refused(webserver: str) -> None:
    from selenium.webdriver.common.by import By

    email = "refused.in.launchpad.4b2c@example.org"
    job = "export_subject_data_job"
    with headless_chromium(1280, 720) as driver:
        driver.get(f"{webserver}/locations/{LOCATION}/jobs/{job}/playground")
        wait_until(lambda: driver.execute_script(EDITOR_TEXT_JS), 180, f"{job} launchpad")
        dismiss_community_dialog(driver)
        driver.execute_script(
            "document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0]);",
            f"subject: {email}\nrequest_id: DSR-42\n",
        )
        time.sleep(1.0)
        driver.find_element(By.XPATH, "//button[normalize-space()='Launch Run']").click()
        wait_until(
            lambda: "subject looks like an e-mail address" in driver.page_source,
            120,
            "the refusal",
        )
        # Dagster prints its own traceback first: bring our message into view.
        driver.execute_script(SHOW_REFUSAL_JS)
        time.sleep(1.0)
        save_small_png(
            driver.get_screenshot_as_png(), IMAGES / "launchpad_export_email_refused.png"
        )
    home = Path(os.environ["DAGSTER_HOME"])
    assert [p for p in home.rglob("*") if p.is_file() and email.encode() in p.read_bytes()] == []
