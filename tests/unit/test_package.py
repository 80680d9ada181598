"""The package surface: light import, clear errors for missing frameworks and bad arguments."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_dlguide_imports_no_framework():
    result = _run(
        "import sys, dlguide, dlguide.data, dlguide.plot, dlguide.metrics, dlguide.nas\n"
        "print(sorted(m for m in ('torch', 'tensorflow', 'keras', 'matplotlib.pyplot') if m in sys.modules))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("subpackage", "blocked", "extra"),
    [
        ("dlguide.torch", "torch", 'pip install "dlguide[torch]"'),
        ("dlguide.keras", "keras", 'pip install "dlguide[keras]"'),
    ],
)
def test_a_missing_framework_names_the_extra(subpackage, blocked, extra):
    # sys.modules[name] = None makes `import name` raise ImportError, as if it were not installed.
    result = _run(f"import sys; sys.modules[{blocked!r}] = None; import {subpackage}")
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert extra in result.stderr


def test_get_device_rejects_unknown_names():
    from dlguide.torch import get_device

    with pytest.raises(ValueError, match="name must be one of"):
        get_device("tpu")
    with pytest.raises(TypeError, match="name must be one of"):
        get_device(0)
    assert get_device("cpu").type == "cpu"
    assert get_device().type in ("cuda", "mps", "cpu")


def test_mlp_rejects_bad_sizes_and_shapes():
    import torch

    from dlguide.torch import MLP

    with pytest.raises(ValueError, match="num_inputs must be >= 1, got 0"):
        MLP(num_inputs=0, num_outputs=2)
    with pytest.raises(TypeError, match="num_outputs must be an int"):
        MLP(num_inputs=4, num_outputs=2.5)
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\)"):
        MLP(num_inputs=4, num_outputs=2, dropout=1.0)
    with pytest.raises(ValueError, match="expects 4 features per example"):
        MLP(num_inputs=4, num_outputs=2)(torch.zeros(3, 5))


def test_fit_rejects_bad_arguments():
    from dlguide.torch import MLP, fit

    model = MLP(num_inputs=4, num_outputs=2)
    data = (np.zeros((8, 4), dtype=np.float32), np.zeros(8, dtype=np.int64))
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        fit(model, data, epochs=0, device="cpu")
    with pytest.raises(TypeError, match="train_data must be a DataLoader"):
        fit(model, np.zeros((8, 4)), epochs=1, device="cpu")
    with pytest.raises(ValueError, match="loss must be one of"):
        fit(model, data, epochs=1, loss="hinge", device="cpu")
    with pytest.raises(TypeError, match=r"model must be a torch\.nn\.Module"):
        fit("model", data, epochs=1, device="cpu")


def test_fit_history_is_shaped_like_keras_and_learns():
    from dlguide.data import load_digits
    from dlguide.torch import MLP, EarlyStopping, evaluate, fit, seed_everything

    seed_everything(0)
    (x, y), (xt, yt) = load_digits()
    model = MLP(num_inputs=64, num_outputs=10, num_hiddens=(32,))
    stop = EarlyStopping(monitor="val_loss", patience=2)
    history = fit(
        model, (x, y), epochs=40, validation_data=(xt, yt), callbacks=[stop], device="cpu", lr=1e-2
    )
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len({len(v) for v in history.values()}) == 1
    assert history["loss"][-1] < history["loss"][0] / 3
    if stop.stopped_epoch is not None:  # the best weights were put back
        best = min(history["val_loss"])
        assert evaluate(model, (xt, yt), device="cpu")["loss"] == pytest.approx(best, rel=1e-5)
    assert evaluate(model, (xt, yt), device="cpu")["accuracy"] > 0.9


def test_report_records_metrics_for_the_build(tmp_path, monkeypatch, capsys):
    import json

    import dlguide

    path = tmp_path / "metrics.jsonl"
    monkeypatch.setenv("DLGUIDE_REPORT_FILE", str(path))
    monkeypatch.setenv("DLGUIDE_REPORT_SOURCE", "examples/x/plot_y.py")
    assert dlguide.report(test_accuracy=0.5, mae=np.float32(2.0)) == {
        "test_accuracy": 0.5,
        "mae": 2.0,
    }
    assert "test_accuracy: 0.5000" in capsys.readouterr().out
    record = json.loads(path.read_text())
    peak = record.pop("peak_rss_mb")  # this process's peak memory so far, for the report
    assert peak is None or peak > 10
    assert record == {
        "source": "examples/x/plot_y.py",
        "metrics": {"test_accuracy": 0.5, "mae": 2.0},
    }
    with pytest.raises(ValueError, match="at least one metric"):
        dlguide.report()
    with pytest.raises(ValueError, match="finite"):
        dlguide.report(loss=float("nan"))
    with pytest.raises(TypeError, match="real number"):
        dlguide.report(loss="low")
    # A value too small for four decimals is not printed as 0.0000 (it would read as exactly 0).
    monkeypatch.delenv("DLGUIDE_REPORT_FILE")
    dlguide.report(weight_difference=1.2345e-7, loss=0.0)
    assert capsys.readouterr().out.splitlines()[:2] == [
        "weight_difference: 1.23e-07",
        "loss: 0.0000",
    ]
