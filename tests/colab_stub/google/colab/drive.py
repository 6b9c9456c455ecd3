"""``google.colab.drive`` stand-in: mounting refuses, with a message naming the stub."""

__all__ = ["mount"]


def mount(mountpoint, force_remount=False, timeout_ms=120000, readonly=False):
    """Refuse: there is no Google Drive outside Colab (``USE_DRIVE = True`` needs a real Colab runtime)."""
    raise RuntimeError(
        "Expected a Colab runtime to mount Google Drive. Received: "
        f"mountpoint={mountpoint!r} outside Colab (the google.colab stand-in of tests/colab_stub cannot mount "
        "Drive; set USE_DRIVE = False)"
    )
