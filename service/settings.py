"""Settings from the environment (prefix ``PARLEY_``), read when an app is created."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the service; each is an environment variable ``PARLEY_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="PARLEY_", env_file=None, extra="ignore")

    database_url: str = Field(
        default="sqlite:///parley.db",
        description="SQLAlchemy URL; postgresql+psycopg://... for PostgreSQL.",
    )
    auto_migrate: bool = Field(
        default=True, description="Bring the schema to the newest revision at start."
    )
    admin_token: SecretStr | None = Field(
        default=None, description="When set, POST /summits needs it as a bearer token."
    )
    max_wait_seconds: float = Field(
        default=60.0, gt=0, le=600, description="Longest long-poll wait on /events."
    )
    deadline_poll_seconds: float = Field(
        default=2.0,
        gt=0,
        description="How often a worker looks for deadlines set by other workers or hosts.",
    )
    solver_time_limit: float = Field(
        default=5.0, gt=0, le=300, description="Seconds a solver search may take."
    )
    solver_workers: int = Field(
        default=2, ge=1, le=64, description="CP-SAT search workers of one search."
    )
    solver_concurrency: int = Field(
        default=2, ge=1, le=64, description="Searches one worker process runs at once."
    )
    write_lock_seconds: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="Longest wait of a write for SQLite's write lock (or a PostgreSQL row "
        "lock); past it the request answers 503 with Retry-After and changes nothing.",
    )
    cache_summits: int = Field(
        default=1024,
        ge=1,
        le=1_000_000,
        description="Summits whose agenda, red lines and compiled checker a worker keeps.",
    )
    log_level: str = Field(default="info", description="Logging level of the service.")
    telemetry: bool = Field(
        default=False,
        description="FastAPI's OpenTelemetry spans, metrics and logs, for an operator who "
        "configures an OpenTelemetry provider (off, no request pays to look for one).",
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        le=64 * 1_048_576,
        description="Largest request body accepted; a larger one is a 413.",
    )
    check_rate: float = Field(
        default=100.0,
        ge=0,
        description="Checks per second one token (or one anonymous address) may make in the "
        "long run, per worker; 0 lifts the limit.",
    )
    check_burst: int = Field(
        default=1000, ge=1, description="Checks one token may make at once before check_rate."
    )
    solver_rate: float = Field(
        default=5.0,
        ge=0,
        description="Solver questions per second one token (or anonymous address) may ask, "
        "per worker; 0 lifts the limit.",
    )
    solver_burst: int = Field(
        default=100, ge=1, description="Solver questions one token may ask at once."
    )


def get_settings() -> Settings:
    """Return the settings read from the environment now."""
    return Settings()
