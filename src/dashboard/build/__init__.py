"""Build steps that turn the human-editable sources and raw official files into the tables."""
