"""Central's tables and the engine that reaches them."""
