"""userrl's Python bridge: the client of the userrl environment server, and the trainer adapters built on it.

The client needs only ``websockets``; the TRL adapter (``environment_factory``, ``CreditGRPOTrainer``) needs
the training requirements (``requirements-train.txt``) and is imported on first use.
"""

from .client import DEFAULT_MESSAGE_TIMEOUT_S, EnvClient, ServerError, ServerHttp, StepResult, SyncEnvClient

__all__ = [
    "DEFAULT_MESSAGE_TIMEOUT_S",
    "EnvClient",
    "ServerError",
    "ServerHttp",
    "StepResult",
    "SyncEnvClient",
    "environment_factory",
    "CreditGRPOTrainer",
]
__version__ = "0.1.0"

_LAZY = {"environment_factory": ".trl_env", "UserRLEnv": ".trl_env", "CreditGRPOTrainer": ".trl_grpo"}


def __getattr__(name: str):
    """The TRL adapter, imported when first asked for (it pulls in torch and trl)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
