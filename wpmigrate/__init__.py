"""wpmigrate: move WordPress sites onto static-site engines."""

__version__ = "0.1.0"
