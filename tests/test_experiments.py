"""The experiments are reproducible: same seed, byte-identical tables."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "experiments"


def _run(script, out, seed):
    env = dict(os.environ, CLASSIFY_REPORTS=str(out))
    done = subprocess.run([sys.executable, str(EXPERIMENTS / script), "--seed", str(seed)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_same_seed_gives_byte_identical_tables(tmp_path):
    first = _run("07_confidence.py", tmp_path / "a", seed=3)
    second = _run("07_confidence.py", tmp_path / "b", seed=3)
    tables = [p for p in first if p.suffix in (".csv", ".md")]
    assert {str(p) for p in tables} >= {"confidence/reliability.csv", "confidence/coverage.csv", "confidence/summary.md"}
    for path in tables:
        assert first[path] == second[path], f"{path} differs between two runs with the same seed"
    assert all(p.parts[0] == "confidence" for p in first), "an experiment wrote outside reports/<experiment>/"
    assert (tmp_path / "a" / "confidence" / "confidence.png").stat().st_size > 10_000


def test_run_all_lists_every_experiment_script():
    sys.path.insert(0, str(EXPERIMENTS))
    try:
        import run_all
    finally:
        sys.path.remove(str(EXPERIMENTS))
    scripts = sorted(p.stem for p in EXPERIMENTS.glob("[0-9][0-9]_*.py"))
    assert [m for m, _ in run_all.EXPERIMENTS] == scripts


@pytest.mark.parametrize("script", sorted(p.name for p in EXPERIMENTS.glob("[0-9][0-9]_*.py")))
def test_each_experiment_takes_a_seed_and_has_main(script):
    import importlib.util

    spec = importlib.util.spec_from_file_location(script[:-3].replace("-", "_"), EXPERIMENTS / script)
    sys.path.insert(0, str(EXPERIMENTS))
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(EXPERIMENTS))
    import inspect

    assert inspect.signature(module.main).parameters["seed"].default == 0
    done = subprocess.run([sys.executable, str(EXPERIMENTS / script), "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "--seed" in done.stdout
