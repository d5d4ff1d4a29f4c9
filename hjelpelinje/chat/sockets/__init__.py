"""The chat's WebSocket consumers: they parse frames, call services and relay events.

- `base.py`: frame parsing, coded errors, rate limits (`limits.py`), what both share,
  and the clean-up that runs once however a socket dies;
- `frames.py`: reading each field of a client's frame strictly (types, limits);
- `visitor.py`: the anonymous visitor's socket, and what happens when it dies;
- `staff.py`: the counsellor's console;
- `tidy.py`: the queue broadcast and the periodic tidy-up every process runs;
- `groups.py`: channel-layer group names and close codes.

The protocol is documented in docs/chat-protocol.md.
"""
