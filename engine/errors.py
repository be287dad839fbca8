"""Errors the user can fix: they are shown as one clear line, never a traceback."""


class UserError(Exception):
    """Bad input or settings; the message says what is wrong and where."""


class ConfigError(UserError):
    """Settings that cannot work (batch size 0, CUDA without a GPU, ...)."""


class DataError(UserError):
    """A dataset that cannot be read (missing file, wrong columns, bad values, ...)."""


class ArgumentError(ConfigError, TypeError):
    """A Python API argument of the wrong type (a TypeError too, as Python's own are)."""
