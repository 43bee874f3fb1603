"""gunicorn's settings for network-crm's web process.

The Procfile (`make run`), the README's systemd unit and bench/load.py all serve with this file;
gunicorn also loads it by itself when started from the project root. Options given on the
command line win (the Procfile's --bind, a unit's --workers 3). Why these values:
docs/decisions/0014-gunicorn-workers-and-connections.md.
"""

# Two processes of four threads: a request's Python runs on one core at a time (the GIL), so two
# processes use both cores of a small server; threads cover the time spent waiting on the
# database, SMTP or a slow client.
workers = 2
threads = 4

# No keep-alive: every response ends its connection ("Connection: close"). A kept-alive
# connection stays with the process that accepted it, so a client (or a proxy's pool) that opens
# its connections at once can land them all on one process while the other idles: half the
# server. A new connection per request is accepted by whichever process is free.
keepalive = 0

accesslog = "-"
# The proxy in front (README, "Running it for real") is on this machine.
forwarded_allow_ips = "127.0.0.1"
