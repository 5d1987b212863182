"""Keep Streamlit's garbage collection after each script run cheap."""

import gc

_frozen = False


def freeze_long_lived_objects() -> None:
    """Once per server process, after the first script run, exempt every object then alive
    (imported modules, Altair's schema classes, the loaded tables) from cyclic garbage collection.

    Streamlit runs a full collection after every script run (`runner.postScriptGC`). Over the
    million-odd objects pandas, Altair and Streamlit leave alive it took ~100 ms, holding the GIL,
    so each rerun's output reached the browser that much later. Frozen objects are still freed by
    reference counting; only their cycles are no longer looked for.
    """
    global _frozen
    if _frozen:
        return
    gc.collect()
    gc.freeze()
    _frozen = True
