"""The HTML report in a real headless browser: the inline script runs under the page's
Content-Security-Policy (it marks the headers sortable), and a screenshot is taken. Skips
where no Chromium is installed (``apt-get install -y chromium``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from report_fixtures import make_result

from ehcp_check.audit import AuditOptions
from ehcp_check.periods import GroupBy
from ehcp_check.report.html import write_html

BROWSER = next(
    (shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)),
    None,
)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no headless Chromium installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
         "--no-first-run", "--disable-background-networking"]  # fmt: skip


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={cwd / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "audit.html"
    write_html(make_result(options=AuditOptions(by=GroupBy.YEAR)), out)
    return out


def test_script_runs_under_the_csp(page: Path) -> None:
    done = _run("--dump-dom", page.as_uri(), cwd=page.parent)
    dom = done.stdout
    assert 'id="breaches"' in dom, done.stderr[-2000:]
    # Only the script adds these: it ran, so the CSP hash matches it.
    assert dom.count('tabindex="0"') == 10 + 7  # every breach and data-issue header
    assert 'class="n sortable"' in dom
    assert "Refused to execute inline script" not in done.stderr


def test_screenshot(page: Path) -> None:
    png = page.parent / "audit.png"
    _run(f"--screenshot={png}", "--window-size=1280,2000", page.as_uri(), cwd=page.parent)
    assert png.is_file()
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a rendered page, not a blank one
