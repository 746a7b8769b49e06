"""The model registry: names to factories, each model loaded once per process, also under
concurrent first use (Streamlit sessions are threads; Dask workers are processes that each load
their own)."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable

from analysis.sentiment.base import SentimentError, SentimentModel

# name -> factory; factories import heavy libraries only when called.
_MODEL_FACTORIES: dict[str, Callable[[], SentimentModel]] = {}
_LOADED: dict[str, SentimentModel] = {}
_REGISTRY_LOCK = threading.RLock()  # re-entrant: a model's factory may load another model


def register_model(name: str, factory: Callable[[], SentimentModel]) -> None:
    with _REGISTRY_LOCK:
        _MODEL_FACTORIES[name] = factory
        _LOADED.pop(name, None)


def get_model(name: str) -> SentimentModel:
    """Load (once per process, also under concurrent first use) the model registered as `name`."""
    model = _LOADED.get(name)
    if model is not None:
        return model
    with _REGISTRY_LOCK:
        model = _LOADED.get(name)
        if model is not None:
            return model
        _register_builtin()
        try:
            factory = _MODEL_FACTORIES[name]
        except KeyError:
            raise SentimentError(
                f"unknown sentiment model {name!r}; known: {', '.join(sorted(_MODEL_FACTORIES))}"
            ) from None
        model = factory()
        _LOADED[name] = model
        return model


def clear_loaded_models() -> None:
    """Forget loaded models (tests that hide the encoder; never needed in the app)."""
    with _REGISTRY_LOCK:
        _LOADED.clear()


# The built-in models, as plugin modules with a `register(register_model)` hook. Named, not imported
# here: a plugin imports the registry (the accurate tier loads the fast one), never the reverse.
BUILTIN_PLUGINS = (
    "analysis.sentiment.baselines",
    "analysis.sentiment.default_models",
    "analysis.sentiment.encoder_models",
)
_BUILTIN_DONE = False


def _register_builtin() -> None:
    """Register the built-in models (once; callers hold _REGISTRY_LOCK). Marked done only after
    everything is registered, so a concurrent caller never sees a half-filled registry."""
    global _BUILTIN_DONE
    with _REGISTRY_LOCK:
        if _BUILTIN_DONE:
            return
        for plugin in BUILTIN_PLUGINS:
            importlib.import_module(plugin).register(register_model)
        _BUILTIN_DONE = True
