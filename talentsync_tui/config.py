"""Settings and file locations (pydantic-settings, env prefix TALENTSYNC_)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir
import yaml
from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from talentsync_tui.files import PrivateRotatingFileHandler, private_dir

APP_NAME = "talentsync"
PACKAGE_ROOT = Path(__file__).resolve().parent
BUNDLED_BANKS = PACKAGE_ROOT.parent / "question_banks"


def default_home() -> Path:
    """The data dir: TALENTSYNC_HOME if set, else the platform's per-user data dir."""
    env = os.environ.get("TALENTSYNC_HOME")
    return Path(env).expanduser() if env else Path(user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseSettings):
    """Everything a user can configure; env vars win over `config.yaml` in the data dir."""

    model_config = SettingsConfigDict(env_prefix="TALENTSYNC_", extra="ignore")

    home: Path = Field(default_factory=default_home)
    banks_dir: Path = BUNDLED_BANKS
    load_bundled_banks: bool = True
    feedback_workers: int = Field(default=2, ge=1, le=16)
    follow_ups: bool = True
    follow_up_timing: Literal["immediate", "after-next", "off"] = "immediate"
    """When a follow-up is asked: right after its question (as in a real interview), after the
    next question, or never."""
    max_follow_ups: int = Field(default=1, ge=0, le=3)
    """Follow-ups per question at most."""
    followup_deadline: float = Field(default=8.0, gt=0, le=120)
    """Seconds the model gets to write a follow-up before the template for the same gap is used."""
    model_path: Path | None = None
    model_threads: int = Field(default=2, ge=1, le=64)
    """Threads for llama.cpp: 2 on a 2-core laptop (bench/bench_tui.py measures UI stalls meanwhile)."""
    # -- local AI (talentsync_tui.ai) -------------------------------------------
    ai_enabled: bool = True
    """False: no model, no embeddings, no index (template follow-ups, lexical scoring)."""
    model_ctx: int = Field(default=2048, ge=512, le=32768)
    model_cache_dir: Path | None = None
    """Where the bundled GGUF is assembled (default: the platform's user cache dir)."""
    model_probe: bool = True
    """Load a user-chosen GGUF once in a child process first (llama.cpp may abort on bad files)."""
    followup_model: bool = True
    """Let the model write follow-ups; False keeps retrieval-ranked templates only."""
    followup_timeout: float = Field(default=20.0, gt=0, le=600)
    narrative_feedback: bool = False
    """Ask the model for a one- or two-sentence narrative with each feedback."""
    llm_url: str | None = None
    """An OpenAI-compatible server (llama-server, `python -m llama_cpp.server`) instead of the local model."""
    llm_model: str | None = None
    llm_timeout: float = Field(default=60.0, gt=0, le=3600)
    chroma_url: str | None = None
    """A Chroma server (`chroma run`) instead of the embedded index in `chroma_dir`."""
    log_level: str = "INFO"
    keep_resume_text: bool = True
    """False: store only what was extracted from a resume (skills, roles...), not its text."""
    kiosk_idle_minutes: float = Field(default=5.0, gt=0, le=1440)
    """Kiosk mode: minutes without a key or click before it returns to the welcome screen."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        home = _init_home(init_settings) or default_home()
        yaml_source = YamlConfigSettingsSource(settings_cls, yaml_file=home / "config.yaml")
        return (init_settings, env_settings, yaml_source)

    @property
    def db_path(self) -> Path:
        return self.home / "talentsync.db"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    def ensure_dirs(self) -> None:
        """Create the data dir, logs and exports, private to this user (0700)."""
        for path in (self.home, self.log_dir, self.exports_dir):
            private_dir(path)


def _init_home(source: PydanticBaseSettingsSource) -> Path | None:
    values: dict[str, Any] = source()
    home = values.get("home")
    return Path(home).expanduser() if home else None


class SettingsError(ValueError):
    """A setting (env var or config.yaml) that cannot be used, explained in one line."""


def load_settings(data_dir: Path | None = None, **overrides: Any) -> Settings:
    """Build settings; an explicit `data_dir` (the `--data-dir` option) wins over everything.

    A bad value raises SettingsError naming the setting, its env var and the problem.
    """
    if data_dir is not None:
        overrides["home"] = Path(data_dir).expanduser()
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "settings"
        raise SettingsError(
            f"Invalid setting {name} (TALENTSYNC_{name.upper()} or {name}: in config.yaml): "
            f"{first['msg']}, got {str(first.get('input'))[:60]!r}."
        ) from None
    except OSError as exc:  # config.yaml unreadable
        raise SettingsError(f"Cannot read the settings file: {exc.strerror or exc} "
                            f"({exc.filename}).") from None
    except yaml.YAMLError as exc:
        raise SettingsError(f"config.yaml is not valid YAML: {str(exc).splitlines()[0]}") from None


def setup_logging(settings: Settings) -> Path:
    """Send logs to a rotating file in the data dir (the TUI owns the terminal)."""
    settings.ensure_dirs()
    log_file = settings.log_dir / "talentsync.log"
    root = logging.getLogger("talentsync_tui")
    for old in [h for h in root.handlers if getattr(h, "_talentsync", False)]:
        if Path(old.baseFilename) == log_file.absolute():
            break
        root.removeHandler(old)  # another data dir in this process: log there instead
        old.close()
    else:
        handler = PrivateRotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        handler._talentsync = True  # type: ignore[attr-defined]
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
        )
        root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    return log_file
