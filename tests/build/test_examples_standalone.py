"""Gallery examples are standalone scripts: a sample of them runs with plain ``python``.

Readers download the ``.py`` files and run them outside the docs build, from any folder. Each
sampled script must exit 0, print its metric (``dlguide.report``) and footer, and write nothing
into the folder it runs from.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = [
    "examples/basics/plot_mlp_digits.py",  # PyTorch
    "examples/basics/plot_keras_mlp_digits.py",  # Keras
    "examples/sequences/plot_forecasting_rnn_lstm_gru.py",  # data from statsmodels
    "examples/generative/plot_gan_2d.py",  # generated data
]


@pytest.mark.parametrize("script", SAMPLE)
def test_example_runs_as_a_script(script, tmp_path):
    env = {**os.environ, "MPLBACKEND": "agg"}
    env.pop("DLGUIDE_REPORT_FILE", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| device " in result.stdout, "the footer line is missing"
    assert any(line.count(": ") == 1 for line in result.stdout.splitlines())
    assert list(tmp_path.iterdir()) == [], "the script wrote into its working directory"
