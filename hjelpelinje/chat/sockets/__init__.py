"""The chat's WebSocket consumers: they parse frames, call services and relay events.

- `base.py`: frame parsing, coded errors, rate limits (`limits.py`), what both share;
- `visitor.py`: the anonymous visitor's socket, and what happens when it dies;
- `staff.py`: the counsellor's console;
- `tidy.py`: the queue broadcast and the periodic tidy-up every process runs;
- `groups.py`: channel-layer group names and close codes.

The protocol is documented in docs/chat-protocol.md.
"""
