"""Adding next year's figures: upload -> checked plan -> versioned apply, rollback, template."""
