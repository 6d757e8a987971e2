"""Where outbox messages go: the rq queue (REDIS_URL set), and what handlers need to send (mail, links).

Without REDIS_URL they are handled inline, right after commit (jobs/inline.py).

Decisions:
- Redis connections use short timeouts: a relay facing a stopped Redis fails fast and retries later;
  the web never talks to Redis for outbox work, so it does not notice.
- The queue name is OUTBOX_QUEUE (default "default", the queue the deployed workers listen on).
"""
from __future__ import annotations

from redis import Redis
from rq import Queue

from coordination.config import Settings
from coordination.services.mail import Sender, sender_for


def queue_name(settings: Settings) -> str:
    return settings.outbox_queue


def redis_connection(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)


def queue_for(settings: Settings, connection: Redis | None = None) -> Queue:
    assert settings.redis_url, "no REDIS_URL: messages are handled inline"
    return Queue(queue_name(settings), connection=connection or redis_connection(settings.redis_url))


def base_url(settings: Settings) -> str:
    return settings.public_base_url


def mail_sender(settings: Settings) -> Sender:
    return sender_for(settings)
