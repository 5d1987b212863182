"""The once-per-process freeze that keeps Streamlit's post-run garbage collection cheap."""

import gc

from dashboard import memory


def test_long_lived_objects_are_frozen_once_per_process(monkeypatch):
    monkeypatch.setattr(memory, "_frozen", False)
    try:
        memory.freeze_long_lived_objects()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        later = [[n] for n in range(1000)]  # objects made by later script runs stay collectable
        memory.freeze_long_lived_objects()
        assert gc.get_freeze_count() == frozen
        assert later
    finally:
        gc.unfreeze()
