"""Everything that knows MkDocs or Material: plugin hooks, config, frame, nav cache, CLI, theme overrides."""
