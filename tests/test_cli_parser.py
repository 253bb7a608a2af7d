import subprocess
import sys

import pytest

from classify.cli.parser import build_parser


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_no_scikit_learn_nor_numpy(flag):
    code = ("import sys; from classify.cli import main\n"
            f"try:\n    main([{flag!r}])\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', sorted(m for m in ('sklearn', 'scipy', 'matplotlib', 'numpy', 'flask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in out.stdout, out.stdout[-500:] + out.stderr[-500:]


def test_every_subcommand_has_help():
    parser = build_parser()
    for command in ("train", "predict", "evaluate", "corpus", "predict-archive", "card"):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args([command, "--help"])
        assert exit_.value.code == 0


def test_shared_model_option():
    parser = build_parser()
    for argv in (["predict", "--model", "m"], ["evaluate", "--model", "m"], ["card", "--model", "m"]):
        assert parser.parse_args(argv).model == "m"
