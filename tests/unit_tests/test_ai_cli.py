"""`talentsync model ...` and `talentsync index ...` (cli/model.py, cli/index.py), mounted like the parent CLI does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import pytest
import typer
from typer.testing import CliRunner

from talentsync_tui.ai.testing import sample_modules
from talentsync_tui.cli.common import data_dir_from
from talentsync_tui.cli.index import index_app
from talentsync_tui.cli.model import model_app
from talentsync_tui.store import Store

runner = CliRunner()


def parent_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context,
             data_dir: Annotated[Optional[Path], typer.Option("--data-dir")] = None) -> None:
        pass

    app.add_typer(model_app, name="model")
    app.add_typer(index_app, name="index")
    return app


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTSYNC_LOAD_BUNDLED_BANKS", "false")
    monkeypatch.delenv("TALENTSYNC_HOME", raising=False)
    home = tmp_path / "home"
    store = Store(home / "talentsync.db")
    store.import_modules(sample_modules())
    store.close()
    return home


def test_data_dir_comes_from_ctx_obj_root_param_or_env(tmp_path, monkeypatch):
    class Ctx:
        def __init__(self, obj=None, params=None, parent=None):
            self.obj, self.params, self.parent = obj, params or {}, parent

    monkeypatch.delenv("TALENTSYNC_HOME", raising=False)
    assert data_dir_from(Ctx(obj=tmp_path)) == tmp_path
    assert data_dir_from(Ctx(obj={"data_dir": str(tmp_path)})) == tmp_path
    assert data_dir_from(Ctx(parent=Ctx(params={"data_dir": tmp_path}))) == tmp_path
    assert data_dir_from(Ctx()) is None
    monkeypatch.setenv("TALENTSYNC_HOME", str(tmp_path / "env"))
    assert data_dir_from(Ctx()) == tmp_path / "env"


def test_model_status_with_a_corrupt_file_explains_and_fails(home, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\xff" * 64)
    result = runner.invoke(parent_app(), ["--data-dir", str(home), "model", "status", "--model",
                                          str(bad), "--json"])
    assert result.exit_code == 1, result.output
    info = json.loads(result.stdout)
    assert info["state"] == "failed" and info["source"] == "--model"
    assert "broken.gguf" in info["error"]


def test_index_status_sync_and_rebuild(home):
    app = parent_app()
    result = runner.invoke(app, ["--data-dir", str(home), "index", "status", "--json"])
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert status["stale"] and status["questions"] == 3
    result = runner.invoke(app, ["--data-dir", str(home), "index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt" in result.stdout and "13 documents" in result.stdout
    result = runner.invoke(app, ["--data-dir", str(home), "index", "sync", "--json"])
    assert json.loads(result.stdout)["added"] == 0
    result = runner.invoke(app, ["--data-dir", str(home), "index", "status"])
    assert "Up to date" in result.stdout and "yes" in result.stdout
