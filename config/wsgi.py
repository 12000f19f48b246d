"""The WSGI application gunicorn serves (Procfile), with the garbage collector set for a
threaded server.

A full collection stops every thread of a worker while it walks every object the worker
holds. Measured under the pages bench (2 workers x 4 threads, history under load), with
Python's defaults it came every few seconds per worker and took 60-110 ms: each one held
up about eight requests in flight, enough to set history's p99. Two changes:

- gc.freeze(): what loading the app made (Django, the models, the libraries: most of the
  worker's objects, and never garbage) is left out of every collection, so a full one
  walks only what requests left behind: 20-45 ms under the same load.
- A full collection after 100 middle-generation ones rather than 10: the young
  collections still run as often and free a request's cycles; what they promote
  (objects of the requests in flight, alive at that moment) is walked again ten times
  less often.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

YOUNG, MIDDLE, FULL = 700, 10, 100  # Python's defaults are 700, 10, 10
gc.set_threshold(YOUNG, MIDDLE, FULL)
gc.collect()
gc.freeze()
