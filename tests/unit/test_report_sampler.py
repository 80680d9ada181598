"""docs/_ext/dlguide_report.py: the memory sampler reads PSS rarely, and only when it could matter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from dlguide_report import _Sampler


def test_peaks_include_children_and_pss_is_read_at_most_once_a_second():
    # A child holding 200 MB of its own memory: the build's peak must include it.
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; b = bytearray(200 * 2**20); sys.stdout.write('x'); sys.stdout.flush(); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout.read(1) == b"x"  # allocated
        sampler = _Sampler(pss_interval=1.0)
        sampler.sample()
        first_read = sampler.last_pss
        assert sampler.build_peak > 200  # MB: this process and the child's 200 MB
        assert sampler.build_rss_sum_peak >= sampler.build_peak  # PSS never exceeds RSS
        sampler.sample()
        assert sampler.last_pss == first_read  # within the second: RSS only

        # When the sum of RSS cannot beat the PSS peak, PSS is not read at all.
        sampler.last_pss = float("-inf")
        sampler.build_peak = 10**9
        sampler.sample()
        assert sampler.last_pss == float("-inf")
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
