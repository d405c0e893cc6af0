"""The home-visit record: models, validation, visit schedule and canonical hashing.

Pure domain code: no Qt, no I/O. Both the laptop and central call these rules.
"""
