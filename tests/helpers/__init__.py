"""Helpers shared by the tests: one place for the Chromium launch and server start (browser),
the AppTest opener and readers (apptest), and the FIXTURE builders (stat_fixtures,
update_fixtures). Test modules import from here, never from one another; pytest fixtures built
on these live in tests/conftest.py."""
