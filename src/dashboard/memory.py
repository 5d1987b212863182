"""Keep full garbage collections cheap."""

import gc

_frozen = False


def freeze_long_lived_objects() -> None:
    """Once per server process, after the first script run, exempt every object then alive
    (imported modules, Altair's schema classes, the loaded tables) from cyclic garbage collection.

    A full collection walks every live object: over the million-odd objects pandas, Altair and
    Streamlit leave alive it took ~100 ms, holding the GIL, so every session waited. Streamlit's
    own collection after each run is off (`runner.postScriptGC` in .streamlit/config.toml);
    Python's automatic ones remain, and skip frozen objects. Frozen objects are still freed by
    reference counting; only their cycles are no longer looked for.
    """
    global _frozen
    if _frozen:
        return
    gc.collect()
    gc.freeze()
    _frozen = True
