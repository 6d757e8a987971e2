"""gunicorn settings for the web hosts: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment (the systemd unit reads /etc/coordination/coordination.env).
The app holds no state between requests, so any number of hosts can run this behind a load balancer.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request is short and mostly waits on PostgreSQL. 2 × cores + 1 is gunicorn's rule of thumb.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Not preloaded: each worker builds its own app, engine and connection pool after the fork.
preload_app = False
# Worker heartbeat files in memory, not on a possibly slow disk (gunicorn docs).
worker_tmp_dir = "/dev/shm"  # noqa: S108
limit_request_line = 8190

# Only the proxy in front (nginx on the same host by default) may say which scheme the client used.
# The app itself trusts exactly one proxy hop for X-Forwarded-For/Proto/Host (werkzeug ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log: method, path WITHOUT the query string (%(U)s, never %(r)s or %(q)s: search terms such as a
# child's name or NHS number may be in it), status, size, duration and the request id that the audit trail
# records. No Referer either: it carries the previous page's query string.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}i)s'
)
proc_name = "coordination-web"
# gunicorn 27 opens a control socket in $HOME by default; the systemd unit makes $HOME read-only, so put it
# in the unit's RuntimeDirectory (or set GUNICORN_CONTROL_SOCKET= empty to turn it off).
_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "/run/coordination-web/gunicorn.ctl")
if _control:
    control_socket = _control
else:
    control_socket_disable = True


def post_worker_init(worker):
    """Announce this worker's encryption key ids as it boots, not only after its first request, so that
    `flask keys rotate` sees an idle worker too (coordination/instances.py)."""
    from coordination.instances import announce_from

    announce_from(worker.wsgi, kind="web")
