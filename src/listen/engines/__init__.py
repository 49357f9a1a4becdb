"""Text-to-speech engines: the interface, the registry and the built-in engines."""

from .base import Audio, Engine, SpeechRequest, create_engine, engine_class, engine_names, register

__all__ = ["Audio", "Engine", "SpeechRequest", "create_engine", "engine_class", "engine_names", "register"]
