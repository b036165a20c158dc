"""The core as a long-running surface reaches it: in this process, or in worker processes.

``gateway.Core`` is what the Slack front calls; ``LocalCore`` runs it in-process (tests, the
terminal, ``CHANGEBOT_WORKERS=0``) and ``pool.PooledCore`` in worker processes that load the
models once, so the front that verifies and acks requests never competes with them for the GIL.
"""
