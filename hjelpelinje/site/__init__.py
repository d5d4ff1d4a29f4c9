"""The public website: Wagtail's pages, the shared quick exit, the chat launcher, and
identity-free visit counting (`site.visits`)."""
