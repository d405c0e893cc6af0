"""Settings, logging, central's own keys and its tokens."""
