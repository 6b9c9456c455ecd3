"""A stand-in for Colab's ``google.colab`` package, for running the notebooks' Colab branch off Colab.

``.ci/colab_versions.sh`` puts the folder above ``google/`` on ``PYTHONPATH`` and imports this module when
each kernel starts (Colab imports it before the first cell), so ``"google.colab" in sys.modules`` is true
and the notebooks' first cell installs the package, as it does on Colab. There is deliberately no
``google/__init__.py``: ``google`` stays a namespace package, shared with protobuf's ``google.protobuf``.

Only what the notebooks and ``evoaug_tf.tutorial`` use is here: ``drive.mount``, which refuses with a
message, because there is no Google Drive to mount.
"""

from . import drive

__all__ = ["drive"]

#: Marks the stand-in, so a test can tell it from the real package.
IS_STUB = True
