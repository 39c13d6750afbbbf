import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# Web processes get the database statement and lock timeouts (settings, "Faults").
os.environ.setdefault("NEWSROOM_WEB_PROCESS", "1")
application = get_wsgi_application()
