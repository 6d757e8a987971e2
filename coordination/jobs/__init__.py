"""Background work: enqueue by id (never by object), run inline after commit when REDIS_URL is unset."""
