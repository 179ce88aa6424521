"""userrl's Python bridge: the client of the userrl environment server, on which trainer adapters build."""

from .client import DEFAULT_MESSAGE_TIMEOUT_S, EnvClient, ServerError, ServerHttp, StepResult, SyncEnvClient

__all__ = ["DEFAULT_MESSAGE_TIMEOUT_S", "EnvClient", "ServerError", "ServerHttp", "StepResult", "SyncEnvClient"]
__version__ = "0.1.0"
